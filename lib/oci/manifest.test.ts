import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGCLIENT_TESTREPO } from '@/lib/registry/testing/fixtures';
import { digestOf } from '@/lib/registry/testing/digest';
import {
  classifyManifest,
  formatPlatform,
  isAttestationDescriptor,
  manifestReferences,
  parseImageConfig,
  parseManifest,
  referrersFallbackTag,
} from './manifest';
import { MediaType } from './media-types';
import type { Descriptor, ImageIndex } from './types';
import { errorOf } from './testing/error-of';

const LAYOUT = REGCLIENT_TESTREPO;
const enc = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

function blob(digest: string): Uint8Array {
  return readFileSync(path.join(LAYOUT, 'blobs', ...digest.split(':')));
}

const layoutIndex = JSON.parse(readFileSync(path.join(LAYOUT, 'index.json'), 'utf8')) as ImageIndex;
function tagged(tag: string): Descriptor {
  const found = layoutIndex.manifests.find((d) => d.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!found) throw new Error(`fixture has no tag ${tag}`);
  return found;
}
function parseTag(tag: string) {
  const descriptor = tagged(tag);
  return parseManifest(blob(descriptor.digest), descriptor.mediaType);
}


const d = (c: string) => `sha256:${c.repeat(64)}`;
const desc = (mediaType: string, c: string, extra: Partial<Descriptor> = {}): Descriptor => ({ mediaType, digest: d(c), size: 10, ...extra });

describe('fixture manifests (regclient testrepo)', () => {
  it('parses every manifest in the layout with matching digests', () => {
    expect(layoutIndex.manifests.length).toBeGreaterThan(20);
    for (const descriptor of layoutIndex.manifests) {
      const bytes = blob(descriptor.digest);
      expect(digestOf(bytes, descriptor.digest.startsWith('sha512:') ? 'sha512' : 'sha256')).toBe(descriptor.digest);
      const parsed = parseManifest(bytes, descriptor.mediaType);
      expect(parsed.mediaType).toBe(descriptor.mediaType);
      expect(parsed.kind).not.toBe('unknown');
    }
  });

  it('v1 is an index whose builder entries are attestations', () => {
    const parsed = parseTag('v1');
    expect(parsed.kind).toBe('index');
    expect(parsed.annotations).toEqual({ 'org.example.version': 'v1' });
    const refs = manifestReferences(parsed.manifest);
    expect(refs.blobs).toEqual([]);
    expect(refs.manifests).toHaveLength(4);
    expect(refs.manifests.map(isAttestationDescriptor)).toEqual([false, false, true, true]);
    expect(refs.manifests.map((m) => formatPlatform(m.platform))).toEqual(['linux/amd64', 'linux/arm64', 'unknown/unknown', 'unknown/unknown']);

    const attestation = refs.manifests[2]!;
    const child = parseManifest(blob(attestation.digest), attestation.mediaType);
    // Standalone it looks like an image; its parent's descriptor marks it as an attestation.
    expect(child.kind).toBe('image');
    expect(classifyManifest(child.manifest, child.mediaType, attestation)).toBe('attestation');
    expect(classifyManifest(child.manifest, child.mediaType, refs.manifests[0])).toBe('image');
  });

  it('a platform image refers to its config and layers', () => {
    const v1 = manifestReferences(parseTag('v1').manifest);
    const amd64 = v1.manifests[0]!;
    const parsed = parseManifest(blob(amd64.digest), amd64.mediaType);
    expect(parsed.kind).toBe('image');
    expect(parsed.artifactType).toBeUndefined();
    const refs = manifestReferences(parsed.manifest);
    expect(refs.manifests).toEqual([]);
    expect(refs.blobs.map((b) => b.mediaType)).toEqual([MediaType.OciConfig, MediaType.OciLayerGzip, MediaType.OciLayerGzip]);
    const config = parseImageConfig(blob(refs.blobs[0]!.digest));
    expect(config.architecture).toBe('amd64');
    expect(config.os).toBe('linux');
  });

  it('v2 lists three platforms including a variant', () => {
    const refs = manifestReferences(parseTag('v2').manifest);
    expect(refs.manifests.map((m) => formatPlatform(m.platform))).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
  });

  it('a1 and a2 are artifacts with a subject', () => {
    const a1 = parseTag('a1');
    expect(a1.kind).toBe('artifact');
    expect(a1.artifactType).toBe('application/example.sbom');
    expect(a1.subject?.digest).toBe(tagged('v2').digest);
    expect(manifestReferences(a1.manifest).subject?.digest).toBe(tagged('v2').digest);
    const a2 = parseTag('a2');
    expect(a2.kind).toBe('artifact');
    expect(a2.artifactType).toBe('application/example.signature');
  });

  it('ai is an index with artifactType, hence an artifact', () => {
    const ai = parseTag('ai');
    expect(ai.mediaType).toBe(MediaType.OciIndex);
    expect(ai.kind).toBe('artifact');
    expect(ai.artifactType).toBe('application/example.artifacts');
    expect(manifestReferences(ai.manifest).manifests.map((m) => m.digest)).toEqual([tagged('a1').digest, tagged('a2').digest]);
  });

  it('the referrers fallback tag of v2 is the tag the layout uses for its referrers index', () => {
    const tag = referrersFallbackTag(tagged('v2').digest);
    expect(tag).toBe(`sha256-${tagged('v2').digest.slice('sha256:'.length)}`);
    const fallback = parseTag(tag);
    expect(fallback.kind).toBe('index');
    expect(manifestReferences(fallback.manifest).manifests.map((m) => m.artifactType)).toEqual([
      'application/example.sbom',
      'application/example.signature',
    ]);
  });
});

describe('Docker formats', () => {
  const schema2 = {
    schemaVersion: 2,
    mediaType: MediaType.DockerManifest,
    config: desc(MediaType.DockerConfig, 'c'),
    layers: [desc(MediaType.DockerLayerGzip, '1'), desc(MediaType.DockerForeignLayerGzip, '2', { urls: ['https://example.invalid/l'] })],
  };
  const list = {
    schemaVersion: 2,
    mediaType: MediaType.DockerManifestList,
    manifests: [desc(MediaType.DockerManifest, 'a', { platform: { os: 'linux', architecture: 'amd64' } })],
  };
  const schema1 = {
    schemaVersion: 1,
    name: 'library/app',
    tag: 'old',
    architecture: 'amd64',
    fsLayers: [{ blobSum: d('1') }, { blobSum: d('2') }, { blobSum: d('1') }],
    history: [{ v1Compatibility: '{}' }, { v1Compatibility: '{}' }, { v1Compatibility: '{}' }],
  };

  it('classifies schema2 as docker-image', () => {
    const parsed = parseManifest(enc(schema2), MediaType.DockerManifest);
    expect(parsed.kind).toBe('docker-image');
    expect(manifestReferences(parsed.manifest).blobs).toHaveLength(3);
  });

  it('classifies a manifest list as docker-list', () => {
    const parsed = parseManifest(enc(list), `${MediaType.DockerManifestList}; charset=utf-8`);
    expect(parsed.kind).toBe('docker-list');
    expect(manifestReferences(parsed.manifest).manifests).toHaveLength(1);
  });

  it('classifies schema1 (signed and unsigned) and dedupes its layers', () => {
    const unsigned = parseManifest(enc(schema1));
    expect(unsigned.mediaType).toBe(MediaType.DockerSchema1);
    expect(unsigned.kind).toBe('docker-schema1');
    const signed = parseManifest(enc({ ...schema1, signatures: [{ header: {}, signature: 'x', protected: 'y' }] }));
    expect(signed.mediaType).toBe(MediaType.DockerSchema1Signed);
    expect(parseManifest(enc(schema1), MediaType.DockerSchema1Signed).kind).toBe('docker-schema1');
    const refs = manifestReferences(unsigned.manifest);
    expect(refs.blobs.map((b) => b.digest)).toEqual([d('1'), d('2')]);
    expect(refs.blobs.every((b) => b.size === -1)).toBe(true);
  });

  it('rejects schema1 with a bad blobSum', () => {
    expect(errorOf(() => parseManifest(enc({ ...schema1, fsLayers: [{ blobSum: 'nope' }] }))).message).toMatch(/fsLayers\[0\]\.blobSum is invalid/);
  });
});

describe('OCI classification', () => {
  const image = { schemaVersion: 2, mediaType: MediaType.OciManifest, config: desc(MediaType.OciConfig, 'c'), layers: [desc(MediaType.OciLayerGzip, '1')] };

  it('an image config makes an image; other configs make artifacts', () => {
    expect(parseManifest(enc(image)).kind).toBe('image');
    const helm = { ...image, config: desc('application/vnd.cncf.helm.config.v1+json', 'c') };
    const parsed = parseManifest(enc(helm));
    expect(parsed.kind).toBe('artifact');
    expect(parsed.artifactType).toBe('application/vnd.cncf.helm.config.v1+json');
    const empty = { ...image, config: desc(MediaType.OciEmpty, 'e') };
    expect(parseManifest(enc(empty)).kind).toBe('artifact');
  });

  it('in-toto layers make a BuildKit attestation', () => {
    const att = { ...image, layers: [desc(MediaType.InTotoLayer, '1', { annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' } })] };
    expect(parseManifest(enc(att)).kind).toBe('attestation');
  });

  it('a descriptor annotation or unknown/unknown platform marks an attestation', () => {
    expect(isAttestationDescriptor(desc(MediaType.OciManifest, 'a', { annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } }))).toBe(true);
    expect(isAttestationDescriptor(desc(MediaType.OciManifest, 'a', { platform: { os: 'unknown', architecture: 'unknown' } }))).toBe(true);
    expect(isAttestationDescriptor(desc(MediaType.OciManifest, 'a', { platform: { os: 'linux', architecture: 'unknown' } }))).toBe(false);
    expect(isAttestationDescriptor(desc(MediaType.OciManifest, 'a'))).toBe(false);
  });

  it('a BuildKit cache index is an index whose layer entries are blobs', () => {
    const cache = {
      schemaVersion: 2,
      mediaType: MediaType.OciIndex,
      manifests: [desc(MediaType.OciLayerGzip, '1'), desc('application/vnd.buildkit.cacheconfig.v0', '2'), desc(MediaType.OciManifest, '3')],
    };
    const parsed = parseManifest(enc(cache));
    expect(parsed.kind).toBe('index');
    const refs = manifestReferences(parsed.manifest);
    expect(refs.manifests.map((m) => m.digest)).toEqual([d('3')]);
    expect(refs.blobs.map((b) => b.digest)).toEqual([d('1'), d('2')]);
  });

  it('an explicit unknown media type parses as unknown', () => {
    const parsed = parseManifest(enc({ schemaVersion: 2, mediaType: 'application/vnd.example.thing+json', foo: 1 }));
    expect(parsed.kind).toBe('unknown');
    expect(manifestReferences(parsed.manifest)).toEqual({ blobs: [], manifests: [] });
  });
});

describe('duck typing and media type checks', () => {
  const index = { schemaVersion: 2, manifests: [desc(MediaType.OciManifest, 'a')] };
  const image = { schemaVersion: 2, config: desc(MediaType.OciConfig, 'c'), layers: [] };

  it('infers the type from the shape when nothing says it', () => {
    expect(parseManifest(enc(index)).mediaType).toBe(MediaType.OciIndex);
    expect(parseManifest(enc(image)).mediaType).toBe(MediaType.OciManifest);
    expect(parseManifest(enc(image)).kind).toBe('image');
    expect(classifyManifest(parseManifest(enc(index)).manifest, '')).toBe('index');
  });

  it('uses the content type when the body has no mediaType, ignoring parameters and generic types', () => {
    expect(parseManifest(enc(index), `${MediaType.DockerManifestList} ; charset=utf-8`).mediaType).toBe(MediaType.DockerManifestList);
    expect(parseManifest(enc(index), 'application/json').mediaType).toBe(MediaType.OciIndex);
    expect(parseManifest(enc({ ...image, mediaType: MediaType.OciManifest }), 'application/octet-stream').kind).toBe('image');
  });

  it('rejects a body mediaType that differs from the content type', () => {
    const error = errorOf(() => parseManifest(enc({ ...image, mediaType: MediaType.OciManifest }), MediaType.DockerManifest));
    expect(error).toMatchObject({
      code: 'MANIFEST_INVALID',
      message: `manifest mediaType "${MediaType.OciManifest}" does not match content type "${MediaType.DockerManifest}"`,
    });
  });

  it('rejects a shape that does not fit the declared type', () => {
    expect(errorOf(() => parseManifest(enc(image), MediaType.OciIndex)).message).toBe(`${MediaType.OciIndex} must have a "manifests" array`);
    expect(errorOf(() => parseManifest(enc(index), MediaType.OciManifest)).message).toBe(`${MediaType.OciManifest} must have a "config" descriptor`);
    expect(errorOf(() => parseManifest(enc({ ...image, schemaVersion: 3 }))).message).toBe(`${MediaType.OciManifest} must have schemaVersion 2`);
  });

  it('rejects an ambiguous document', () => {
    const error = errorOf(() => parseManifest(enc({ ...image, manifests: [] })));
    expect(error).toMatchObject({ code: 'MANIFEST_INVALID', message: 'manifest is ambiguous: it has both "manifests" and "config"/"layers"' });
  });

  it.each([
    ['', 'manifest is empty'],
    ['{"schemaVersion":', /^manifest is not valid JSON: /],
    ['[1,2]', 'manifest must be a JSON object'],
    ['{"schemaVersion":2}', 'cannot tell the manifest type: no mediaType, and neither "manifests" nor "config" and "layers"'],
    ['{"mediaType":5,"manifests":[]}', 'manifest mediaType must be a non-empty string'],
  ])('rejects %j', (text, message) => {
    const error = errorOf(() => parseManifest(enc(text)));
    expect(error.code).toBe('MANIFEST_INVALID');
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('rejects bad descriptors, naming the field', () => {
    const bad = (layer: unknown) => errorOf(() => parseManifest(enc({ ...image, layers: [desc(MediaType.OciLayer, '1'), layer] }))).message;
    expect(bad({ mediaType: MediaType.OciLayer, digest: 'sha256:short', size: 1 })).toMatch(/^layers\[1\]\.digest is invalid: sha256 digest/);
    expect(bad({ mediaType: MediaType.OciLayer, digest: d('1'), size: -1 })).toBe('layers[1].size must be a non-negative integer');
    expect(bad({ digest: d('1'), size: 1 })).toBe('layers[1].mediaType must be a non-empty string');
    expect(bad('x')).toBe('layers[1] must be a descriptor object');
    expect(errorOf(() => parseManifest(enc({ ...image, annotations: { a: 1 } }))).message).toBe('annotations must be an object of strings');
    expect(errorOf(() => parseManifest(enc({ ...image, layers: {} }))).message).toBe('layers must be an array');
  });

  it('rejects invalid UTF-8', () => {
    expect(errorOf(() => parseManifest(new Uint8Array([0x7b, 0xff, 0x7d]))).message).toBe('manifest is not valid UTF-8');
  });
});

describe('helpers', () => {
  it('formats platforms', () => {
    expect(formatPlatform(undefined)).toBe('');
    expect(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7');
    expect(formatPlatform({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1' })).toBe('windows/amd64');
  });

  it('builds referrers fallback tags per the spec (truncation, character replacement)', () => {
    expect(referrersFallbackTag(d('a'))).toBe(`sha256-${'a'.repeat(64)}`);
    expect(referrersFallbackTag(`sha512:${'f'.repeat(128)}`)).toBe(`sha512-${'f'.repeat(64)}`);
    // Only sha256 and sha512 are digests at all (lib/oci/digest.ts): no fallback tag for other algorithms.
    expect(errorOf(() => referrersFallbackTag('multihash+base58:QmRZ=x_y')).code).toBe('DIGEST_INVALID');
    expect(errorOf(() => referrersFallbackTag('nope')).code).toBe('DIGEST_INVALID');
  });

  it('parses image configs and rejects bad ones', () => {
    expect(parseImageConfig(enc({ os: 'linux', config: { Env: ['A=1'] } })).config?.Env).toEqual(['A=1']);
    expect(errorOf(() => parseImageConfig(enc('nope'))).message).toMatch(/^image config is not valid JSON/);
    expect(errorOf(() => parseImageConfig(enc('"x"'))).message).toBe('image config must be a JSON object');
  });
});
