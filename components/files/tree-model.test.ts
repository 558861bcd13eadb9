import { describe, expect, it } from 'vitest';
import type { TocEntry } from '@/lib/layers/types';
import { ancestorsOf, buildTree, followLink, visibleRows, type FileTree } from './tree-model';
import { treeKey } from './tree-keys';

function entry(path: string, type: TocEntry['type'] = 'file', extra: Partial<TocEntry> = {}): TocEntry {
  return { path, type, size: type === 'file' ? 10 : 0, mode: 0o644, uid: 0, gid: 0, mtime: 0, ...extra };
}
const dir = (path: string) => entry(path, 'dir');
const implicit = (path: string): TocEntry => ({ ...dir(path), uname: 'implicit' });

const paths = (tree: FileTree, rows: Int32Array) => [...rows].map((i) => tree.entries[i]!.path);

const sample = [
  entry('usr/bin/zsh'),
  dir('usr'),
  entry('usr/bin/app', 'file', { size: 1000 }),
  entry('bin', 'symlink', { linkTarget: 'usr/bin' }),
  entry('etc/os-release'),
  entry('etc/alternatives/sh', 'symlink', { linkTarget: '../../usr/bin/zsh' }),
  entry('etc/dangling', 'symlink', { linkTarget: '/nowhere/x' }),
  entry('loop/a', 'symlink', { linkTarget: 'b' }),
  entry('loop/b', 'symlink', { linkTarget: 'a' }),
  entry('README'),
];

describe('buildTree', () => {
  const tree = buildTree(sample, implicit);

  it('makes the parents a listing omits and sorts directories first, then names', () => {
    expect(tree.entries[tree.byPath.get('usr/bin')!]!.uname).toBe('implicit');
    expect(tree.entries[tree.byPath.get('usr')!]!.uname).toBeUndefined();
    expect(tree.roots.map((i) => tree.names[i])).toEqual(['etc', 'loop', 'usr', 'README', 'bin']);
    expect(tree.children[tree.byPath.get('usr/bin')!]!.map((i) => tree.names[i])).toEqual(['app', 'zsh']);
    expect(tree.depth[tree.byPath.get('usr/bin/app')!]).toBe(2);
    expect(tree.fileCount).toBe(4);
  });

  it('adds up file sizes per directory', () => {
    expect(tree.total[tree.byPath.get('usr')!]).toBe(1010);
    expect(tree.total[tree.byPath.get('etc')!]).toBe(10);
  });

  it('keeps the later entry of a path listed twice', () => {
    const twice = buildTree([entry('a', 'file', { size: 1 }), entry('a', 'file', { size: 2 })], implicit);
    expect(twice.entries).toHaveLength(1);
    expect(twice.entries[0]!.size).toBe(2);
  });
});

describe('visibleRows', () => {
  const tree = buildTree(sample, implicit);

  it('shows the top level, and the children of open directories', () => {
    expect(paths(tree, visibleRows(tree, new Set(), '').rows)).toEqual(['etc', 'loop', 'usr', 'README', 'bin']);
    const open = new Set([tree.byPath.get('usr')!, tree.byPath.get('usr/bin')!]);
    expect(paths(tree, visibleRows(tree, open, '').rows)).toEqual(['etc', 'loop', 'usr', 'usr/bin', 'usr/bin/app', 'usr/bin/zsh', 'README', 'bin']);
  });

  it('filters by name, case-insensitively, with the directories on the way, whatever is open', () => {
    const result = visibleRows(tree, new Set(), 'ZS');
    expect(paths(tree, result.rows)).toEqual(['usr', 'usr/bin', 'usr/bin/zsh']);
    expect(result).toMatchObject({ matches: 1, filtered: true });
    expect(visibleRows(tree, new Set(), 'nothing-like-this').rows).toHaveLength(0);
  });

  it('matches the whole path when the filter has a slash', () => {
    expect(paths(tree, visibleRows(tree, new Set(), 'etc/os').rows)).toEqual(['etc', 'etc/os-release']);
  });

  it('filters 100,000 entries', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => entry(`d${i % 100}/sub${i % 7}/file-${i}.txt`));
    const big = buildTree(many, implicit);
    expect(big.entries.length).toBe(100_000 + 100 + 700);
    const result = visibleRows(big, new Set(), 'file-9999');
    // file-9999 and file-99990…99999
    expect(result.matches).toBe(11);
    expect(paths(big, result.rows).filter((p) => p.endsWith('.txt'))).toHaveLength(11);
  });
});

describe('followLink', () => {
  const tree = buildTree(sample, implicit);
  const at = (path: string) => tree.byPath.get(path)!;

  it('follows relative and directory links inside the tree', () => {
    expect(followLink(tree, at('etc/alternatives/sh'))).toEqual({ node: at('usr/bin/zsh') });
    expect(followLink(tree, at('bin'))).toEqual({ node: at('usr/bin') });
  });

  it('names the missing path of a dangling link, and reports loops', () => {
    expect(followLink(tree, at('etc/dangling'))).toEqual({ missing: '/nowhere/x' });
    expect(followLink(tree, at('loop/a'))).toEqual({ loop: true });
  });

  it('lists the ancestors top first', () => {
    expect(ancestorsOf(tree, at('usr/bin/zsh')).map((i) => tree.entries[i]!.path)).toEqual(['usr', 'usr/bin']);
  });
});

describe('treeKey', () => {
  const tree = buildTree(sample, implicit);
  const usr = tree.byPath.get('usr')!;

  it('moves with arrows, Home, End and pages, within the rows', () => {
    const { rows } = visibleRows(tree, new Set(), '');
    expect(treeKey(tree, rows, 0, 'ArrowDown', () => false)).toEqual({ focus: 1 });
    expect(treeKey(tree, rows, 0, 'ArrowUp', () => false)).toEqual({ focus: 0 });
    expect(treeKey(tree, rows, 1, 'End', () => false)).toEqual({ focus: 4 });
    expect(treeKey(tree, rows, 4, 'Home', () => false)).toEqual({ focus: 0 });
    expect(treeKey(tree, rows, 0, 'PageDown', () => false, 3)).toEqual({ focus: 3 });
    expect(treeKey(tree, rows, 0, 'x', () => false)).toBeUndefined();
  });

  it('opens with →, moves into an open directory, closes with ← and goes up to the parent', () => {
    const closed = visibleRows(tree, new Set(), '').rows;
    const usrRow = [...closed].indexOf(usr);
    expect(treeKey(tree, closed, usrRow, 'ArrowRight', () => false)).toEqual({ focus: usrRow, toggle: usr });
    const open = new Set([usr]);
    const rows = visibleRows(tree, open, '').rows;
    expect(treeKey(tree, rows, usrRow, 'ArrowRight', (n) => open.has(n))).toEqual({ focus: usrRow + 1 });
    expect(treeKey(tree, rows, usrRow, 'ArrowLeft', (n) => open.has(n))).toEqual({ focus: usrRow, toggle: usr });
    expect(treeKey(tree, rows, usrRow + 1, 'ArrowLeft', (n) => open.has(n))).toEqual({ focus: usrRow });
    expect(treeKey(tree, rows, usrRow, 'Enter', (n) => open.has(n))).toEqual({ focus: usrRow, activate: true });
  });

  it('only moves while a filter is shown', () => {
    const { rows } = visibleRows(tree, new Set(), 'zsh');
    expect(treeKey(tree, rows, 0, 'ArrowRight', undefined)).toEqual({ focus: 1 });
    expect(treeKey(tree, rows, 1, 'ArrowLeft', undefined)).toEqual({ focus: 0 });
  });
});
