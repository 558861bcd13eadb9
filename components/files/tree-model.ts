/**
 * The file tree of an image or a layer as flat arrays, built once per listing, and the rows a view shows for
 * a set of open directories or a filter. Made for 100,000 entries and more: one pass to build, one pass per
 * filter keystroke (no per-node objects beyond the entries themselves), rows as an `Int32Array` of node
 * numbers for a virtualised list.
 */
import { resolvePath } from '@/lib/layers/resolve';
import { normalisePath } from '@/lib/layers/tar/path';
import type { TocEntry } from '@/lib/layers/types';

export interface FileTree<E extends TocEntry = TocEntry> {
  /** Node `i`'s entry; directories a listing implies but omits are made up (`implicit`). */
  entries: E[];
  names: string[];
  /** Parent node, -1 at the top level. */
  parent: Int32Array;
  depth: Int32Array;
  /** Children of directories, directories first, then by name (code-unit order, like `ls` in the C locale). */
  children: (number[] | undefined)[];
  /** A file's size, or the sum of the file sizes below a directory. */
  total: Float64Array;
  /** The top-level nodes, sorted like children. */
  roots: number[];
  /** Node number by path. */
  byPath: Map<string, number>;
  /** How many nodes are files (or hard links). */
  fileCount: number;
}

function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/**
 * The tree of `entries` (normalised paths, any order). A path listed twice keeps the later entry (a tar
 * read in order); `makeDir` makes the entry of a parent directory no entry lists.
 */
export function buildTree<E extends TocEntry>(entries: readonly E[], makeDir: (path: string) => E): FileTree<E> {
  const byPath = new Map<string, number>();
  const nodes: E[] = [];
  const add = (entry: E): number => {
    const known = byPath.get(entry.path);
    if (known !== undefined) {
      nodes[known] = entry;
      return known;
    }
    byPath.set(entry.path, nodes.length);
    nodes.push(entry);
    return nodes.length - 1;
  };
  for (const entry of entries) if (entry.path !== '') add(entry);
  // Parents no entry lists (a layer may omit them); the loop also covers the ones it adds.
  for (let i = 0; i < nodes.length; i++) {
    const dir = parentPath(nodes[i]!.path);
    if (dir !== '' && !byPath.has(dir)) add(makeDir(dir));
  }
  const n = nodes.length;
  const parent = new Int32Array(n).fill(-1);
  const names: string[] = new Array(n);
  const children: (number[] | undefined)[] = new Array(n);
  const roots: number[] = [];
  let fileCount = 0;
  for (let i = 0; i < n; i++) {
    const path = nodes[i]!.path;
    const slash = path.lastIndexOf('/');
    names[i] = slash === -1 ? path : path.slice(slash + 1);
    const type = nodes[i]!.type;
    if (type === 'file' || type === 'hardlink') fileCount++;
    if (slash === -1) {
      roots.push(i);
      continue;
    }
    const p = byPath.get(path.slice(0, slash))!;
    parent[i] = p;
    (children[p] ??= []).push(i);
  }
  const dir = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (nodes[i]!.type === 'dir') dir[i] = 1;
  const order = (a: number, b: number) => dir[b]! - dir[a]! || (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0);
  roots.sort(order);
  for (const list of children) list?.sort(order);

  // Depth top-down and totals bottom-up, in one walk order (parents before children).
  const depth = new Int32Array(n);
  const total = new Float64Array(n);
  const walk: number[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const i = stack.pop()!;
    walk.push(i);
    if (parent[i]! >= 0) depth[i] = depth[parent[i]!]! + 1;
    const kids = children[i];
    if (kids) for (const kid of kids) stack.push(kid);
  }
  for (let k = walk.length - 1; k >= 0; k--) {
    const i = walk[k]!;
    const type = nodes[i]!.type;
    if (type === 'file') total[i] = nodes[i]!.size;
    if (parent[i]! >= 0) total[parent[i]!] = total[parent[i]!]! + total[i]!;
  }
  return { entries: nodes, names, parent, depth, children, total, roots, byPath, fileCount };
}

export interface VisibleRows {
  /** Node numbers, in display order. */
  rows: Int32Array;
  /** Nodes the filter matched (0 without a filter). */
  matches: number;
  /** Whether a filter is applied (directories on the way to a match are shown open). */
  filtered: boolean;
}

/**
 * The rows to show: the tree with `open` directories expanded; or, with a `filter`, every node whose name
 * contains it (case-insensitive; a filter with `/` is matched against the whole path) and the directories on
 * the way to them, all open. `lowerNames` is a cache of lower-cased names the caller keeps per tree.
 */
export function visibleRows(tree: FileTree, open: ReadonlySet<number>, filter: string, lowerNames?: string[]): VisibleRows {
  const query = filter.trim().toLowerCase();
  const n = tree.entries.length;
  // Preallocated: a row and a stack slot per node at most (no array growth on 100,000 rows).
  const out = new Int32Array(n);
  const stack = new Int32Array(n);
  let count = 0;
  let top = 0;
  if (query === '') {
    for (let k = tree.roots.length - 1; k >= 0; k--) stack[top++] = tree.roots[k]!;
    while (top > 0) {
      const i = stack[--top]!;
      out[count++] = i;
      const kids = tree.children[i];
      if (kids && open.has(i)) for (let k = kids.length - 1; k >= 0; k--) stack[top++] = kids[k]!;
    }
    return { rows: out.subarray(0, count), matches: 0, filtered: false };
  }
  const byPath = query.includes('/');
  const names = lowerNames ?? tree.names.map((name) => name.toLowerCase());
  const keep = new Uint8Array(n);
  let matches = 0;
  for (let i = 0; i < n; i++) {
    const hay = byPath ? tree.entries[i]!.path.toLowerCase() : names[i]!;
    if (!hay.includes(query)) continue;
    matches++;
    keep[i] = 1;
    for (let p = tree.parent[i]!; p >= 0 && keep[p] === 0; p = tree.parent[p]!) keep[p] = 1;
  }
  for (let k = tree.roots.length - 1; k >= 0; k--) if (keep[tree.roots[k]!]) stack[top++] = tree.roots[k]!;
  while (top > 0) {
    const i = stack[--top]!;
    out[count++] = i;
    const kids = tree.children[i];
    if (kids) for (let k = kids.length - 1; k >= 0; k--) if (keep[kids[k]!]) stack[top++] = kids[k]!;
  }
  return { rows: out.subarray(0, count), matches, filtered: true };
}

/** The directories above node `i`, top first. */
export function ancestorsOf(tree: FileTree, i: number): number[] {
  const out: number[] = [];
  for (let p = tree.parent[i]!; p >= 0; p = tree.parent[p]!) out.unshift(p);
  return out;
}

export type FollowResult = { node: number } | { missing: string } | { loop: true };

/**
 * Where the symlink at node `i` leads inside the tree (links in every component followed, never above the
 * root): the node, or the path that is missing (a dangling link), or a loop.
 */
export function followLink(tree: FileTree, i: number): FollowResult {
  const lookup = (path: string) => {
    const node = tree.byPath.get(path);
    return node === undefined ? undefined : tree.entries[node];
  };
  try {
    const target = resolvePath(lookup, tree.entries[i]!.path);
    const node = target ? tree.byPath.get(target.path) : undefined;
    if (node !== undefined) return { node };
  } catch {
    return { loop: true };
  }
  const link = tree.entries[i]!;
  const target = link.linkTarget ?? '';
  return { missing: `/${normalisePath(target.startsWith('/') ? target : `${parentPath(link.path)}/${target}`)}` };
}
