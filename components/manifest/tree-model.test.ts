import { describe, expect, it } from 'vitest';
import type { ManifestResponse } from '@/lib/api/types';
import { RegistryError } from '@/lib/oci/errors';
import { MediaType } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import { type ChildState, manifestTreeRows } from './tree-model';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const desc = (c: string, mediaType: string = MediaType.OciManifest): Descriptor => ({ mediaType, digest: d(c), size: 10 });

function image(c: string, layers = 2): ManifestResponse {
  const manifest = { schemaVersion: 2, config: desc('f', MediaType.OciConfig), layers: Array.from({ length: layers }, (_, i) => desc(String(i), MediaType.OciLayerGzip)) };
  return {
    descriptor: desc(c),
    raw: JSON.stringify(manifest),
    manifest,
    kind: 'image',
    config: { digest: d('f'), mediaType: MediaType.OciConfig, env: [], labels: {}, exposedPorts: [], history: [] },
    layers: manifest.layers,
  };
}

const index: ManifestResponse = {
  descriptor: desc('9', MediaType.OciIndex),
  raw: '{}',
  manifest: {},
  kind: 'index',
  children: [
    { descriptor: desc('a'), platform: 'linux/amd64', attestation: false },
    { descriptor: desc('b'), platform: 'linux/arm64', attestation: false },
    { descriptor: desc('c'), platform: 'unknown/unknown', attestation: true },
    { descriptor: desc('e'), platform: 'linux/s390x', attestation: false, missing: { code: 'MANIFEST_UNKNOWN', message: 'gone' } },
  ],
};

const shape = (rows: ReturnType<typeof manifestTreeRows>) => rows.map((r) => `${'  '.repeat(r.level - 1)}${r.type}:${r.id}`);

describe('manifestTreeRows', () => {
  it('lists children of an index and loads only expanded ones', () => {
    const states: Record<string, ChildState> = { [d('a')]: { pending: false, data: image('a') }, [d('b')]: { pending: true } };
    const expanded = new Set(['root', `c:${d('a')}`, `c:${d('b')}`]);
    const rows = manifestTreeRows(index, (id) => expanded.has(id), (digest) => states[digest]);
    expect(shape(rows)).toEqual([
      'root:root',
      `  child:c:${d('a')}`,
      `    blob:c:${d('a')}/config`,
      `    blob:c:${d('a')}/layer:0`,
      `    blob:c:${d('a')}/layer:1`,
      `  child:c:${d('b')}`,
      `    note:c:${d('b')}/loading`,
      `  child:c:${d('c')}`,
      `  child:c:${d('e')}`,
    ]);
    const amd = rows[1]!;
    expect(amd.type === 'child' && amd.key).toBe('linux/amd64');
    const att = rows[7]!;
    expect(att.type === 'child' && att.key).toBe(d('c'));
    // Missing children cannot be expanded; collapsed ones say so.
    expect(rows[8]!.expanded).toBeUndefined();
    expect(rows[7]!.expanded).toBe(false);
    const layer = rows[3]!;
    expect(layer.type === 'blob' && layer.owner).toBe('linux/amd64');
    expect([rows[1]!.posinset, rows[1]!.setsize, rows[3]!.posinset, rows[3]!.setsize]).toEqual([1, 4, 2, 3]);
  });

  it('shows a failed child as an error note', () => {
    const rows = manifestTreeRows(index, (id) => id === 'root' || id === `c:${d('a')}`, () => ({ pending: false, error: new RegistryError('DENIED', 'no access') }));
    expect(rows[2]).toMatchObject({ type: 'note', tone: 'error', text: 'Could not load: DENIED: no access' });
  });

  it('shows config, layers and subject of an image, and a note for an empty manifest', () => {
    const withSubject = { ...image('1', 1), subject: desc('2') };
    expect(shape(manifestTreeRows(withSubject, () => true, () => undefined))).toEqual([
      'root:root',
      '  blob:root/config',
      '  blob:root/layer:0',
      '  link:root/subject',
    ]);
    const empty: ManifestResponse = { descriptor: desc('3'), raw: '{}', manifest: {}, kind: 'unknown' };
    expect(shape(manifestTreeRows(empty, () => true, () => undefined))).toEqual(['root:root', '  note:root/empty']);
    expect(shape(manifestTreeRows(empty, () => false, () => undefined))).toEqual(['root:root']);
  });
});
