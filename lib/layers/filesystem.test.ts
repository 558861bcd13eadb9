import { describe, expect, it } from 'vitest';
import { applyLayers, listDirectory, listSubtree } from './filesystem';
import type { EntryType, TocEntry } from './types';

function e(path: string, type: EntryType = 'file', extra: Partial<TocEntry> = {}): TocEntry {
  return { path, type, size: type === 'file' ? 1 : 0, mode: 0o644, uid: 0, gid: 0, mtime: 0, ...extra };
}

const paths = (layers: TocEntry[][]) => [...applyLayers(layers).entries.keys()].sort();

describe('applyLayers', () => {
  it('stacks layers and says which layer wrote a path and which it overrode', () => {
    const fs = applyLayers([
      [e('etc', 'dir'), e('etc/a', 'file', { size: 1 })],
      [e('etc/a', 'file', { size: 2 })],
      [e('etc/a', 'file', { size: 3 }), e('etc/b')],
    ]);
    expect(fs.entries.get('etc/a')).toMatchObject({ size: 3, layer: 2, entryIndex: 0, overrides: [0, 1] });
    expect(fs.entries.get('etc/b')).toMatchObject({ layer: 2 });
    expect(fs.entries.get('etc/b')!.overrides).toBeUndefined();
  });

  it('removes a whited-out file and a whited-out directory with everything below it', () => {
    expect(paths([
      [e('a', 'dir'), e('a/x'), e('a/sub', 'dir'), e('a/sub/y'), e('b')],
      [e('a/.wh.sub'), e('.wh.b')],
    ])).toEqual(['a', 'a/x']);
  });

  it('empties an opaque directory of lower layers but keeps its own entries and the directory', () => {
    const fs = applyLayers([
      [e('opt', 'dir'), e('opt/old'), e('opt/deep', 'dir'), e('opt/deep/z'), e('keep')],
      [e('opt/new'), e('opt/.wh..wh..opq')],
    ]);
    expect([...fs.entries.keys()].sort()).toEqual(['keep', 'opt', 'opt/new']);
    expect(fs.removals).toEqual([{ path: 'opt', layer: 1, opaque: true }]);
  });

  it('does not let a whiteout hide an entry of its own layer', () => {
    expect(paths([[e('f')], [e('f', 'file', { size: 9 }), e('.wh.f')]])).toEqual(['f']);
    expect(applyLayers([[e('f')], [e('.wh.f'), e('f', 'file', { size: 9 })]]).entries.get('f')).toMatchObject({ size: 9, layer: 1 });
  });

  it('replaces a directory by a file (children gone) and keeps children when a directory is rewritten', () => {
    expect(paths([[e('d', 'dir'), e('d/x')], [e('d', 'symlink', { linkTarget: '/elsewhere' })]])).toEqual(['d']);
    const fs = applyLayers([[e('d', 'dir', { mode: 0o755 }), e('d/x')], [e('d', 'dir', { mode: 0o700 })]]);
    expect([...fs.entries.keys()].sort()).toEqual(['d', 'd/x']);
    expect(fs.entries.get('d')).toMatchObject({ mode: 0o700, layer: 1, overrides: [0] });
  });

  it('creates omitted parent directories implicitly', () => {
    const fs = applyLayers([[e('usr/local/bin/tool')]]);
    expect(fs.entries.get('usr/local')).toMatchObject({ type: 'dir', implicit: true, entryIndex: -1 });
    expect(listDirectory(fs, '')!.map((x) => x.path)).toEqual(['usr']);
    expect(listDirectory(fs, 'usr/local/bin')!.map((x) => x.path)).toEqual(['usr/local/bin/tool']);
  });

  it('lists directories sorted and refuses non-directories', () => {
    const fs = applyLayers([[e('d', 'dir'), e('d/b'), e('d/a'), e('d/c', 'dir')]]);
    expect(listDirectory(fs, 'd')!.map((x) => x.path)).toEqual(['d/a', 'd/b', 'd/c']);
    expect(listDirectory(fs, 'd/a')).toBeUndefined();
    expect(listDirectory(fs, 'missing')).toBeUndefined();
  });

  it('whites out a path re-created below a removed directory in a later layer', () => {
    expect(paths([[e('a', 'dir'), e('a/x')], [e('.wh.a')], [e('a/y')]])).toEqual(['a', 'a/y']);
  });
});

describe('listSubtree', () => {
  it('lists everything below a directory at any depth, sorted by path, without what whiteouts removed', () => {
    const fs = applyLayers([[e('b/z'), e('a/y/deep'), e('a/x'), e('gone')], [e('.wh.gone')]]);
    expect(listSubtree(fs, '').map((x) => x.path)).toEqual(['a', 'a/x', 'a/y', 'a/y/deep', 'b', 'b/z']);
    expect(listSubtree(fs, 'a').map((x) => x.path)).toEqual(['a/x', 'a/y', 'a/y/deep']);
  });
});
