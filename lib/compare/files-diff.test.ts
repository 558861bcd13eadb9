import { describe, expect, it } from 'vitest';
import { applyLayers } from '@/lib/layers/filesystem';
import type { EntryType, TocEntry } from '@/lib/layers/types';
import { diffFilesystems } from './files-diff';

function e(path: string, type: EntryType = 'file', extra: Partial<TocEntry> = {}): TocEntry {
  return { path, type, size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0, ...extra };
}

describe('diffFilesystems', () => {
  const from = applyLayers([[e('etc', 'dir'), e('etc/a', 'file', { size: 10 }), e('etc/b', 'file', { size: 5 }), e('bin/sh', 'symlink', { linkTarget: 'dash' }), e('same', 'file', { size: 3 })]]);
  const to = applyLayers([[e('etc', 'dir'), e('etc/a', 'file', { size: 30 }), e('bin/sh', 'symlink', { linkTarget: 'bash' }), e('usr/lib/big', 'file', { size: 1000 }), e('same', 'file', { size: 3 })]]);
  const diff = diffFilesystems(from, to, (path) => path !== 'same');

  it('finds added, removed and changed paths with what changed', () => {
    expect(diff.changes.map((c) => [c.path, c.change, c.fields ?? []])).toEqual([
      ['bin/sh', 'changed', ['linkTarget']],
      ['etc/a', 'changed', ['size']],
      ['etc/b', 'removed', []],
      ['same', 'changed', ['layer']],
      ['usr', 'added', []],
      ['usr/lib', 'added', []],
      ['usr/lib/big', 'added', []],
    ]);
    expect(diff.totals).toEqual({ added: 3, removed: 1, changed: 3, sizeDelta: 1015 });
  });

  it('sums size changes per directory, largest first', () => {
    expect(diff.directories.slice(0, 4).map((d) => [d.path, d.sizeDelta])).toEqual([['', 1015], ['usr', 1000], ['usr/lib', 1000], ['etc', 15]]);
    expect(diff.directories.find((d) => d.path === 'etc')).toMatchObject({ added: 0, removed: 1, changed: 1 });
  });

  it('reports nothing for equal filesystems', () => {
    expect(diffFilesystems(from, from, () => true).changes).toEqual([]);
  });
});

describe('diffFilesystems with content digests', () => {
  const from = applyLayers([[e('a', 'file', { size: 3 }), e('b', 'file', { size: 3 }), e('c', 'file', { size: 3 })]]);
  const to = applyLayers([[e('a', 'file', { size: 3 }), e('b', 'file', { size: 3 }), e('c', 'file', { size: 3 })]]);

  it('drops files whose hashed bytes are equal and marks different ones as content changes; unhashed stay layer changes', () => {
    const digests = new Map([
      ['a', { from: 'sha256:1', to: 'sha256:1' }],
      ['b', { from: 'sha256:1', to: 'sha256:2' }],
    ]);
    const diff = diffFilesystems(from, to, () => false, digests);
    expect(diff.changes.map((c) => [c.path, c.fields])).toEqual([['b', ['content']], ['c', ['layer']]]);
    expect(diff.changes[0]).toMatchObject({ from: { digest: 'sha256:1' }, to: { digest: 'sha256:2' } });
    expect(diff.changes[1]!.from!.digest).toBeUndefined();
    expect(diff.totals.changed).toBe(2);
  });
});
