import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { layerDirectory, resolvePath } from './resolve';
import type { EntryType, TocEntry } from './types';

function e(path: string, type: EntryType = 'file', linkTarget?: string): TocEntry {
  return { path, type, size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0, ...(linkTarget ? { linkTarget } : {}) };
}

const entries = [
  e('usr', 'dir'),
  e('usr/lib', 'dir'),
  e('usr/lib/libc.so.6'),
  e('lib', 'symlink', 'usr/lib'),
  e('bin', 'dir'),
  e('bin/sh', 'symlink', '/bin/dash'),
  e('bin/dash'),
  e('bin/escape', 'symlink', '../../../../usr/lib/libc.so.6'),
  e('loop-a', 'symlink', 'loop-b'),
  e('loop-b', 'symlink', 'loop-a'),
  e('etc/deep/file'),
];
const map = new Map(entries.map((x) => [x.path, x]));
const lookup = (path: string) => map.get(path);

describe('resolvePath', () => {
  it('follows symlinks in the middle and at the end of a path', () => {
    expect(resolvePath(lookup, 'lib/libc.so.6')?.path).toBe('usr/lib/libc.so.6');
    expect(resolvePath(lookup, '/bin/sh')?.path).toBe('bin/dash');
    expect(resolvePath(lookup, 'bin/sh', false)?.type).toBe('symlink');
  });

  it('never climbs above the root', () => {
    expect(resolvePath(lookup, 'bin/escape')?.path).toBe('usr/lib/libc.so.6');
  });

  it('answers undefined for missing paths and paths through files', () => {
    expect(resolvePath(lookup, 'usr/missing')).toBeUndefined();
    expect(resolvePath(lookup, 'bin/dash/x')).toBeUndefined();
  });

  it('stops symlink loops with an error', () => {
    expect(() => resolvePath(lookup, 'loop-a')).toThrow(/too many levels/);
    try {
      resolvePath(lookup, 'loop-a');
    } catch (error) {
      expect(isRegistryError(error)).toBe(true);
    }
  });
});

describe('layerDirectory', () => {
  it('lists direct children and implied directories', () => {
    expect(layerDirectory(entries, '').map((x) => [x.path, x.type])).toEqual([
      ['bin', 'dir'], ['etc', 'dir'], ['lib', 'symlink'], ['loop-a', 'symlink'], ['loop-b', 'symlink'], ['usr', 'dir'],
    ]);
    expect(layerDirectory(entries, 'etc').map((x) => x.path)).toEqual(['etc/deep']);
  });
});
