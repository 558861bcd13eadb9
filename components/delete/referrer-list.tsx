import type { ReferrerNode } from '@/lib/api/types';
import { shortDigest } from '@/lib/oci/digest';

export function flattenReferrers(nodes: readonly ReferrerNode[], depth = 0): { node: ReferrerNode; depth: number }[] {
  return nodes.flatMap((node) => [{ node, depth }, ...flattenReferrers(node.referrers, depth + 1)]);
}

/** The artifacts attached to a manifest (recursively), as a compact list. */
export function ReferrerList({ referrers }: { referrers: readonly ReferrerNode[] }) {
  const flat = flattenReferrers(referrers);
  return (
    <ul className="flex flex-col gap-1" data-testid="delete-referrers">
      {flat.map(({ node, depth }) => (
        <li key={`${node.digest}-${depth}`} className="flex items-center gap-2" style={{ paddingLeft: depth * 16 }}>
          <span className="rounded bg-zinc-100 px-1.5 text-xs dark:bg-zinc-800">{node.kind}</span>
          <code className="text-xs" title={node.digest}>
            {shortDigest(node.digest)}
          </code>
          {node.artifactType ? <span className="truncate text-xs text-zinc-500">{node.artifactType}</span> : null}
        </li>
      ))}
    </ul>
  );
}
