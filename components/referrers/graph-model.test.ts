import { describe, expect, it } from 'vitest';
import type { ArtifactKind, ReferrerNode } from '@/lib/api/types';
import { summarizeKinds } from './artifact-kinds';
import { countReferrers, NODE_HEIGHT, NODE_WIDTH, referrerGraph } from './graph-model';

const d = (c: string) => `sha256:${c.repeat(64)}`;

function ref(c: string, kind: ArtifactKind, referrers: ReferrerNode[] = []): ReferrerNode {
  return { digest: d(c), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1, kind, foundBy: 'api', referrers };
}

const tree = [ref('a', 'signature'), ref('b', 'sbom', [ref('c', 'signature')]), ref('e', 'provenance')];

describe('referrerGraph', () => {
  it('makes one node per referrer (recursively) and one edge per subject link', () => {
    const { nodes, edges } = referrerGraph(d('0'), tree);
    expect(nodes.map((n) => [n.kind, n.digest, n.depth])).toEqual([
      ['subject', d('0'), 0],
      ['signature', d('a'), 1],
      ['sbom', d('b'), 1],
      ['signature', d('c'), 2],
      ['provenance', d('e'), 1],
    ]);
    const sbom = nodes.find((n) => n.digest === d('b'))!;
    const sigOnSbom = nodes.find((n) => n.digest === d('c'))!;
    expect(edges).toContainEqual(expect.objectContaining({ source: 'subject', target: sbom.id }));
    expect(edges).toContainEqual(expect.objectContaining({ source: sbom.id, target: sigOnSbom.id }));
    expect(edges).toHaveLength(4);
  });

  it('lays out left to right without overlaps', () => {
    const { nodes } = referrerGraph(d('0'), tree);
    const byDepth = (depth: number) => nodes.filter((n) => n.depth === depth);
    const maxX = (depth: number) => Math.max(...byDepth(depth).map((n) => n.position.x));
    const minX = (depth: number) => Math.min(...byDepth(depth).map((n) => n.position.x));
    expect(minX(1)).toBeGreaterThanOrEqual(maxX(0) + NODE_WIDTH);
    expect(minX(2)).toBeGreaterThanOrEqual(maxX(1) + NODE_WIDTH);
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const apart = Math.abs(a.position.x - b.position.x) >= NODE_WIDTH || Math.abs(a.position.y - b.position.y) >= NODE_HEIGHT;
        expect(apart).toBe(true);
      }
    }
  });

  it('gives repeated digests distinct node ids and counts every referrer', () => {
    const { nodes } = referrerGraph(d('0'), [ref('a', 'other', [ref('a', 'other')])]);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(3);
    expect(countReferrers(tree)).toBe(4);
    expect(referrerGraph(d('0'), []).nodes).toHaveLength(1);
  });
});

describe('summarizeKinds', () => {
  it('counts direct referrers by kind', () => {
    expect(summarizeKinds(tree)).toBe('1 signature, 1 SBOM, 1 provenance attestation');
    expect(summarizeKinds([ref('a', 'signature'), ref('b', 'signature'), ref('c', 'other')])).toBe('2 signatures, 1 other artifact');
  });
});
