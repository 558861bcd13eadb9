import { describe, expect, it } from 'vitest';
import type { ArtifactKind, ReferrerNode } from '@/lib/api/types';
import { referrerGraph } from './graph-model';
import { referrerTreeRows } from './tree-rows';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const ref = (c: string, kind: ArtifactKind, referrers: ReferrerNode[] = []): ReferrerNode => ({
  digest: d(c),
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  size: 1,
  kind,
  foundBy: 'api',
  referrers,
});
const tree = [ref('a', 'signature'), ref('b', 'sbom', [ref('c', 'signature')])];

describe('referrerTreeRows', () => {
  it('lists the subject then referrers depth first, with levels and positions', () => {
    const rows = referrerTreeRows(d('0'), tree, () => true);
    expect(rows.map((r) => [r.kind, r.level, r.posinset, r.setsize, r.expanded])).toEqual([
      ['subject', 1, 1, 1, true],
      ['signature', 2, 1, 2, undefined],
      ['sbom', 2, 2, 2, true],
      ['signature', 3, 1, 1, undefined],
    ]);
    expect(rows[3]!.parentId).toBe(rows[2]!.id);
  });

  it('uses the graph node ids and hides children of collapsed rows', () => {
    const ids = referrerGraph(d('0'), tree).nodes.map((n) => n.id);
    expect(referrerTreeRows(d('0'), tree, () => true).map((r) => r.id)).toEqual(ids);
    const sbomId = `subject>${d('b')}`;
    expect(referrerTreeRows(d('0'), tree, (id) => id !== sbomId)).toHaveLength(3);
    expect(referrerTreeRows(d('0'), tree, () => false)).toHaveLength(1);
    expect(referrerTreeRows(d('0'), [], () => true)[0]!.expanded).toBeUndefined();
  });
});
