import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createTar, gzip } from './tar';

function field(block: Uint8Array, offset: number, length: number): string {
  return new TextDecoder().decode(block.subarray(offset, offset + length)).replace(/\0.*$/s, '');
}

describe('createTar', () => {
  const tar = createTar([{ path: 'etc/' }, { path: 'etc/motd', content: 'hello\n', mode: 0o600 }], 1_767_225_600);

  it('writes ustar headers with valid checksums, sizes, modes and the fixed mtime', () => {
    expect(tar.length).toBe(512 /* dir */ + 512 /* file header */ + 512 /* data */ + 1024 /* end */);
    const dirHeader = tar.subarray(0, 512);
    const fileHeader = tar.subarray(512, 1024);
    expect(field(dirHeader, 0, 100)).toBe('etc/');
    expect(field(dirHeader, 156, 1)).toBe('5');
    expect(field(fileHeader, 0, 100)).toBe('etc/motd');
    expect(field(fileHeader, 156, 1)).toBe('0');
    expect(parseInt(field(fileHeader, 124, 12), 8)).toBe(6);
    expect(parseInt(field(fileHeader, 100, 8), 8)).toBe(0o600);
    expect(parseInt(field(fileHeader, 136, 12), 8)).toBe(1_767_225_600);
    expect(field(fileHeader, 257, 6)).toBe('ustar');
    for (const header of [dirHeader, fileHeader]) {
      const stored = parseInt(field(header, 148, 8), 8);
      let sum = 0;
      header.forEach((byte, i) => (sum += i >= 148 && i < 156 ? 0x20 : byte));
      expect(stored).toBe(sum);
    }
    expect(new TextDecoder().decode(tar.subarray(1024, 1030))).toBe('hello\n');
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
  });

  it('splits long paths into prefix and name', () => {
    const path = `${'deep/'.repeat(25)}file.txt`;
    const header = createTar([{ path, content: 'x' }]).subarray(0, 512);
    expect(`${field(header, 345, 155)}/${field(header, 0, 100)}`).toBe(path);
  });

  it('is deterministic, and gzip round-trips', () => {
    expect(createTar([{ path: 'a', content: 'b' }], 5)).toEqual(createTar([{ path: 'a', content: 'b' }], 5));
    const zipped = gzip(tar);
    expect(zipped).toEqual(gzip(tar));
    expect(new Uint8Array(gunzipSync(zipped))).toEqual(tar);
    expect(zipped.length).toBeLessThan(tar.length / 4);
  });
});

describe('createTar links', () => {
  it('writes symbolic links (typeflag 2) and hard links (1) with their target and no data', () => {
    const tar = createTar([{ path: 'bin/sh', link: 'symlink', linkTarget: '/bin/busybox' }, { path: 'usr/bin/getent', link: 'hardlink', linkTarget: 'usr/bin/getconf' }]);
    expect(tar.length).toBe(512 * 2 + 1024);
    expect(field(tar, 156, 1)).toBe('2');
    expect(field(tar, 157, 100)).toBe('/bin/busybox');
    expect(parseInt(field(tar, 100, 8), 8)).toBe(0o777);
    expect(parseInt(field(tar, 124, 12), 8)).toBe(0);
    expect(field(tar.subarray(512), 156, 1)).toBe('1');
    expect(field(tar.subarray(512), 157, 100)).toBe('usr/bin/getconf');
    expect(() => createTar([{ path: 'x', link: 'symlink' }])).toThrow(/link target/);
  });
});
