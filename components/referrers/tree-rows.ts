/** The referrer tree flattened for the accessible list under the graph (same data, same order). */
import type { PositionedTreeRow } from '@/components/manifest/tree-nav';
import type { ArtifactKind, ReferrerNode } from '@/lib/api/types';

export interface ReferrerTreeRow extends PositionedTreeRow {
  digest: string;
  kind: ArtifactKind | 'subject';
  referrer?: ReferrerNode;
}

/** Rows of the subject and its referrers; children of collapsed rows are left out. Ids match the graph's. */
export function referrerTreeRows(subject: string, referrers: readonly ReferrerNode[], isExpanded: (id: string) => boolean): ReferrerTreeRow[] {
  const rows: ReferrerTreeRow[] = [];
  const rootExpanded = referrers.length > 0 ? isExpanded('subject') : undefined;
  rows.push({ id: 'subject', level: 1, expanded: rootExpanded, posinset: 1, setsize: 1, digest: subject, kind: 'subject' });
  const visit = (parentId: string, list: readonly ReferrerNode[], level: number) => {
    list.forEach((referrer, i) => {
      const id = `${parentId}>${referrer.digest}`;
      const children = referrer.referrers ?? [];
      const expanded = children.length > 0 ? isExpanded(id) : undefined;
      rows.push({ id, parentId, level, expanded, posinset: i + 1, setsize: list.length, digest: referrer.digest, kind: referrer.kind, referrer });
      if (expanded) visit(id, children, level + 1);
    });
  };
  if (rootExpanded) visit('subject', referrers, 2);
  return rows;
}
