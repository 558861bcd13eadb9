import { describe, expect, it } from 'vitest';
import { MediaType } from '@/lib/oci/media-types';
import { digestTarget, jsonLines, linesToText } from './json-tokens';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const D = `sha256:${'d'.repeat(64)}`;

function links(value: unknown) {
  return jsonLines(value)
    .flatMap((line) => line.tokens)
    .flatMap((t) => (t.type === 'string' && t.target ? [[t.digest, t.target]] : []));
}

describe('jsonLines', () => {
  it('prints exactly like JSON.stringify(value, null, 2)', () => {
    const values = [
      { schemaVersion: 2, empty: {}, list: [], nested: { a: [1, true, null, 'x"y'], b: { c: -1.5 } } },
      [],
      {},
      'text',
      42,
      null,
      [[1, [2, {}]], { k: [] }],
    ];
    for (const value of values) expect(linesToText(jsonLines(value))).toBe(JSON.stringify(value, null, 2));
  });

  it('links child manifests and subjects to manifest pages, config and layers to blobs', () => {
    const index = {
      mediaType: MediaType.OciIndex,
      manifests: [
        { mediaType: MediaType.OciManifest, digest: A, size: 1 },
        { mediaType: MediaType.OciManifest, digest: B, size: 1, annotations: { 'vnd.docker.reference.digest': A } },
      ],
      subject: { mediaType: MediaType.OciManifest, digest: C, size: 1 },
    };
    expect(links(index)).toEqual([
      [A, 'manifest'],
      [B, 'manifest'],
      [A, 'manifest'],
      [C, 'manifest'],
    ]);
    const image = {
      config: { mediaType: MediaType.OciConfig, digest: A, size: 1 },
      layers: [{ mediaType: MediaType.OciLayerGzip, digest: B, size: 1 }],
      blobs: [{ mediaType: 'application/octet-stream', digest: D, size: 1 }],
    };
    expect(links(image)).toEqual([
      [A, 'blob'],
      [B, 'blob'],
      [D, 'blob'],
    ]);
  });

  it('leaves non-digest strings and foreign digests unlinked', () => {
    expect(links({ annotations: { 'org.opencontainers.image.base.digest': A, x: 'sha256:short' }, digest: 'nope' })).toEqual([]);
  });
});

describe('digestTarget', () => {
  it('handles schema 1 blobSums and descriptors of manifest media type', () => {
    expect(digestTarget(['fsLayers', 0, 'blobSum'], {}, A)).toBe('blob');
    expect(digestTarget(['foo', 'digest'], { mediaType: MediaType.DockerManifest }, A)).toBe('manifest');
    expect(digestTarget(['foo', 'digest'], { mediaType: MediaType.OciLayer }, A)).toBe('blob');
    expect(digestTarget(['digest'], {}, 'sha256:zz')).toBeUndefined();
  });
});
