import { describe, expect, it } from 'vitest';
import { Annotation, MediaType } from '@/lib/oci/media-types';
import { parseManifest } from '@/lib/oci/manifest';
import type { Descriptor } from '@/lib/oci/types';
import { shapeChild, shapeConfig, shapeManifest, shapeReferrerNode, shapeSource, shapeTagRow } from './shape';

const d = (n: number, extra: Partial<Descriptor> = {}): Descriptor => ({ mediaType: MediaType.OciLayerGzip, digest: `sha256:${String(n).repeat(64).slice(0, 64)}`, size: n * 100, ...extra });
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('shape', () => {
  it('summarises an image config, mapping each non-empty history step to its layer', () => {
    const summary = shapeConfig(
      d(9, { mediaType: MediaType.OciConfig }),
      {
        created: '2024-05-01T00:00:00Z',
        os: 'linux',
        architecture: 'arm',
        variant: 'v7',
        config: { User: 'app', WorkingDir: '/srv', Entrypoint: ['/bin/app'], Cmd: null, Env: ['A=1'], Labels: { team: 'x' }, ExposedPorts: { '8080/tcp': {} } },
        history: [
          { created_by: 'FROM scratch', empty_layer: true },
          { created_by: 'ADD rootfs' },
          { created_by: 'ENV A=1', empty_layer: true },
          { created_by: 'COPY app', comment: 'buildkit' },
        ],
      },
      [d(1), d(2)],
    );
    expect(summary).toEqual({
      digest: d(9).digest,
      mediaType: MediaType.OciConfig,
      created: '2024-05-01T00:00:00Z',
      os: 'linux',
      architecture: 'arm',
      variant: 'v7',
      user: 'app',
      workingDir: '/srv',
      entrypoint: ['/bin/app'],
      env: ['A=1'],
      labels: { team: 'x' },
      exposedPorts: ['8080/tcp'],
      history: [
        { createdBy: 'FROM scratch', emptyLayer: true },
        { createdBy: 'ADD rootfs', emptyLayer: false, layer: { digest: d(1).digest, size: 100 } },
        { createdBy: 'ENV A=1', emptyLayer: true },
        { createdBy: 'COPY app', comment: 'buildkit', emptyLayer: false, layer: { digest: d(2).digest, size: 200 } },
      ],
    });
  });

  it('marks index children: platform, attestation, missing', () => {
    expect(shapeChild(d(1, { platform: { os: 'linux', architecture: 'arm64' } }))).toEqual({ descriptor: d(1, { platform: { os: 'linux', architecture: 'arm64' } }), platform: 'linux/arm64', attestation: false });
    const att = d(2, { platform: { os: 'unknown', architecture: 'unknown' }, annotations: { [Annotation.DockerReferenceType]: 'attestation-manifest' } });
    expect(shapeChild(att, { code: 'MANIFEST_UNKNOWN', message: 'gone' })).toMatchObject({ platform: 'unknown/unknown', attestation: true, missing: { code: 'MANIFEST_UNKNOWN' } });
    expect(shapeChild(d(3)).platform).toBeNull();
  });

  it('keeps what is there for documents that do not parse', () => {
    const content = { descriptor: { mediaType: 'application/vnd.example+json', digest: d(4).digest, size: 11 }, bytes: bytes('{"odd":true}') };
    expect(shapeManifest({ content })).toEqual({ descriptor: content.descriptor, raw: '{"odd":true}', manifest: { odd: true }, kind: 'unknown' });
    const text = { descriptor: content.descriptor, bytes: bytes('not json') };
    expect(shapeManifest({ content: text }).manifest).toBeNull();
  });

  it('shapes an artifact manifest with layers and subject', () => {
    const json = { schemaVersion: 2, mediaType: MediaType.OciManifest, artifactType: 'application/spdx+json', config: d(5, { mediaType: MediaType.OciEmpty }), layers: [d(6)], subject: d(7, { mediaType: MediaType.OciManifest }), annotations: { a: 'b' } };
    const raw = bytes(json);
    const response = shapeManifest({ content: { descriptor: d(8, { mediaType: MediaType.OciManifest }), bytes: raw }, parsed: parseManifest(raw, MediaType.OciManifest), tags: ['x'] });
    expect(response).toMatchObject({ kind: 'artifact', artifactType: 'application/spdx+json', layers: [d(6)], subject: json.subject, annotations: { a: 'b' }, tags: ['x'] });
    expect(response.raw).toBe(JSON.stringify(json));
  });

  it('shapes referrer nodes, tag rows and sources without secrets', () => {
    const node = shapeReferrerNode({ descriptor: d(1, { artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', annotations: { [Annotation.Created]: '2024-01-01T00:00:00Z' } }), foundBy: 'fallback-tag', referrers: [], truncated: 'depth' });
    expect(node).toMatchObject({ kind: 'signature', created: '2024-01-01T00:00:00Z', foundBy: 'fallback-tag', truncated: 'depth' });
    const row = shapeTagRow({ name: 'v1', info: { kind: 'tag' }, error: { code: 'MANIFEST_UNKNOWN', message: 'x' }, sharedWith: [] });
    expect(row).toMatchObject({ name: 'v1', digest: null, error: { code: 'MANIFEST_UNKNOWN' } });
    const summary = shapeSource({ name: 'prod', kind: 'http', url: 'https://r.example', host: 'r.example', credentials: { username: 'u', password: 'p4ss-word' }, insecure: false, delete: false, write: false, concurrency: 8, tagCacheSeconds: 15 });
    expect(summary).toEqual({ name: 'prod', kind: 'http', url: 'https://r.example', host: 'r.example', delete: false, readOnlyReason: expect.any(String) });
  });

  it('shapes a placeholder build time as unknown, with the raw value beside it', () => {
    const details = (created: string) => ({ digest: d(9).digest, mediaType: MediaType.OciManifest, kind: 'image' as const, size: 1, created, platforms: [] });
    const placeholder = shapeTagRow({ name: 'ko', info: { kind: 'tag' }, descriptor: d(9), details: details('0001-01-01T00:00:00Z'), sharedWith: [] });
    expect(placeholder.created).toBeNull();
    expect(placeholder.createdPlaceholder).toBe('0001-01-01T00:00:00Z');
    const real = shapeTagRow({ name: 'v1', info: { kind: 'tag' }, descriptor: d(9), details: details('2026-01-01T00:00:00Z'), sharedWith: [] });
    expect(real.created).toBe('2026-01-01T00:00:00Z');
    expect(real).not.toHaveProperty('createdPlaceholder');
  });
});
