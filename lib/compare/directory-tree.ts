/**
 * The per-directory size changes of a compare (`files.directories`, the largest changes first, possibly cut
 * off) as a tree for the compare page: each directory under its nearest listed ancestor, children sorted by
 * growth (largest increase first, shrinking ones last), so "why did it grow" is the first path down. Pure.
 */
import { parentOf } from '@/lib/layers/tar/path';
import type { DirectoryDelta } from './files-diff';

export interface DirectoryNode extends DirectoryDelta {
  /** The path relative to the parent node (`usr/local` when `usr` is not listed). */
  name: string;
  children: DirectoryNode[];
}

function byGrowth(a: DirectoryNode, b: DirectoryNode): number {
  return b.sizeDelta - a.sizeDelta || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** The tree of `directories`, rooted at `''` (a zero root is made up when the list lacks it). */
export function directoryTree(directories: readonly DirectoryDelta[]): DirectoryNode {
  const nodes = new Map<string, DirectoryNode>();
  for (const dir of directories) nodes.set(dir.path, { ...dir, name: dir.path, children: [] });
  let root = nodes.get('');
  if (!root) {
    root = { path: '', sizeDelta: 0, added: 0, removed: 0, changed: 0, name: '', children: [] };
    nodes.set('', root);
  }
  for (const node of nodes.values()) {
    if (node === root) continue;
    let parent = parentOf(node.path);
    while (parent !== '' && !nodes.has(parent)) parent = parentOf(parent);
    const parentNode = nodes.get(parent)!;
    node.name = parent === '' ? node.path : node.path.slice(parent.length + 1);
    parentNode.children.push(node);
  }
  for (const node of nodes.values()) node.children.sort(byGrowth);
  return root;
}
