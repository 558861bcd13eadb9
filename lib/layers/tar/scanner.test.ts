import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { concatBytes, paxBody, tarData, tarHeader } from '../testing/tar-header';
import type { EntryLocation, TocEntry } from '../types';
import { TarScanner } from './scanner';

function scan(bytes: Uint8Array, chunk = 100): { entries: TocEntry[]; locations: EntryLocation[]; scanner: TarScanner } {
  const entries: TocEntry[] = [];
  const locations: EntryLocation[] = [];
  const scanner = new TarScanner((e, l) => {
    entries.push(e);
    locations.push(l);
  });
  for (let at = 0; at < bytes.length; at += chunk) scanner.push(bytes.subarray(at, at + chunk));
  scanner.end();
  return { entries, locations, scanner };
}

const END = new Uint8Array(1024);

describe('TarScanner', () => {
  it('reads device nodes with their numbers', () => {
    const { entries } = scan(concatBytes([
      tarHeader({ name: 'dev/null', type: '3', devMajor: 1, devMinor: 3, mode: 0o666 }),
      tarHeader({ name: 'dev/sda', type: '4', devMajor: 8, devMinor: 0 }),
      END,
    ]));
    expect(entries).toEqual([
      expect.objectContaining({ path: 'dev/null', type: 'char', devMajor: 1, devMinor: 3, mode: 0o666, size: 0 }),
      expect.objectContaining({ path: 'dev/sda', type: 'block', devMajor: 8, devMinor: 0 }),
    ]);
  });

  it('reads GNU base-256 numbers', () => {
    const { entries } = scan(concatBytes([tarHeader({ name: 'big-uid', type: '0', uid: 2 ** 40, size: 3 }), tarData('abc'), END]));
    expect(entries[0]).toMatchObject({ uid: 2 ** 40, size: 3 });
  });

  it('applies PAX global headers to later entries and local ones to the next entry only', () => {
    const global = paxBody({ uid: '77', mtime: '1700000000.5' });
    const local = paxBody({ path: 'renamed/by/pax.txt', uname: 'pax-user' });
    const { entries, locations } = scan(concatBytes([
      tarHeader({ name: 'pax_global_header', type: 'g', size: global.length }),
      tarData(global),
      tarHeader({ name: 'PaxHeaders/x', type: 'x', size: local.length }),
      tarData(local),
      tarHeader({ name: 'short-name.txt', type: '0', size: 5 }),
      tarData('hello'),
      tarHeader({ name: './second.txt', type: '0', size: 0 }),
      END,
    ]));
    expect(entries.map((e) => e.path)).toEqual(['renamed/by/pax.txt', 'second.txt']);
    expect(entries[0]).toMatchObject({ uid: 77, mtime: 1700000000.5, uname: 'pax-user', size: 5 });
    expect(entries[1]).toMatchObject({ uid: 77 });
    expect(entries[1]!.uname).toBeUndefined();
    expect(locations[0]).toEqual({ offset: 512 * 5, stored: 5 });
  });

  it('keeps `..` inside the root and strips leading slashes', () => {
    const { entries } = scan(concatBytes([tarHeader({ name: '/../../etc/passwd', type: '0' }), tarHeader({ name: 'a/../b/', type: '5' }), END]));
    expect(entries.map((e) => [e.path, e.type])).toEqual([['etc/passwd', 'file'], ['b', 'dir']]);
  });

  it('refuses a bad checksum with its offset', () => {
    const bad = tarHeader({ name: 'x', type: '0' });
    bad[0] = 0x79;
    try {
      scan(concatBytes([tarHeader({ name: 'ok', type: '0' }), bad, END]));
      throw new Error('expected an error');
    } catch (error) {
      expect(isRegistryError(error, 'UNSUPPORTED')).toBe(true);
      expect((error as Error).message).toContain('offset 512');
    }
  });

  it('ignores what follows the end-of-archive marker', () => {
    const { entries, scanner } = scan(concatBytes([tarHeader({ name: 'a', type: '0' }), END, new Uint8Array(4096).fill(7)]));
    expect(entries).toHaveLength(1);
    expect(scanner.ended).toBe(true);
  });
});
