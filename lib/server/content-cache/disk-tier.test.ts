import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobKey } from '@/lib/registry/cache/keys';
import { digestOf } from '@/lib/registry/testing/digest';
import { diskTier } from './disk-tier';
import { relativePathOf } from './key-path';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-disk-tier-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined) => (value ? new TextDecoder().decode(value) : undefined);
const keyOf = (name: string) => blobKey(digestOf(name));

describe('disk tier', () => {
  it('keeps entries as files, written through a temporary file that does not stay', async () => {
    const tier = diskTier({ root, maxBytes: 1000 });
    await tier.put(keyOf('a'), bytes('alpha'));
    expect(text(await tier.get(keyOf('a')))).toBe('alpha');
    expect(await readFile(join(root, relativePathOf(keyOf('a'))), 'utf8')).toBe('alpha');
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    expect(await tier.get(keyOf('missing'))).toBeUndefined();
    await tier.delete(keyOf('a'));
    expect(await tier.get(keyOf('a'))).toBeUndefined();
  });

  it('evicts the least recently read entries beyond maxBytes, files included', async () => {
    const tier = diskTier({ root, maxBytes: 10 });
    await tier.put(keyOf('a'), bytes('aaaa'));
    await tier.put(keyOf('b'), bytes('bbbb'));
    expect(text(await tier.get(keyOf('a')))).toBe('aaaa');
    await tier.put(keyOf('c'), bytes('cccc'));
    expect(text(await tier.get(keyOf('b')))).toBeUndefined();
    expect(await readFile(join(root, relativePathOf(keyOf('b')))).catch(() => 'gone')).toBe('gone');
    expect(text(await tier.get(keyOf('a')))).toBe('aaaa');
    expect(tier.bytes()).toBe(8);
  });

  it('rebuilds its index from the files on start, oldest first, and removes interrupted writes', async () => {
    const first = diskTier({ root, maxBytes: 100 });
    await first.put(keyOf('old'), bytes('old!'));
    await first.put(keyOf('new'), bytes('new!'));
    await utimes(join(root, relativePathOf(keyOf('old'))), new Date(1_000_000), new Date(1_000_000));
    await mkdir(join(root, 'tmp'), { recursive: true });
    await writeFile(join(root, 'tmp', 'interrupted'), 'half');
    await writeFile(join(root, 'stray-file'), 'not an entry');

    // A restart with a smaller bound keeps the most recently used entry only.
    const second = diskTier({ root, maxBytes: 6 });
    await second.ready;
    expect(await readdir(join(root, 'tmp')).catch(() => [])).toEqual([]);
    expect(text(await second.get(keyOf('new')))).toBe('new!');
    expect(await second.get(keyOf('old'))).toBeUndefined();
    expect(second.bytes()).toBe(4);
  });

  it('does not keep an entry larger than its bound, and refuses keys outside the grammar', async () => {
    const tier = diskTier({ root, maxBytes: 3 });
    await tier.put(keyOf('big'), bytes('four'));
    expect(await tier.get(keyOf('big'))).toBeUndefined();
    await expect(tier.put('manifest/../../escape', bytes('x'))).rejects.toThrow(/not a content store key/);
    expect(await readdir(root)).not.toContain('escape');
  });
});

describe('disk tier writes', () => {
  it('does not write an entry it already keeps again', async () => {
    const tier = diskTier({ root, maxBytes: 1000 });
    await tier.put(keyOf('a'), bytes('alpha'));
    const file = join(root, relativePathOf(keyOf('a')));
    await utimes(file, new Date(1_000_000), new Date(1_000_000));
    await tier.put(keyOf('a'), bytes('alpha'));
    expect((await stat(file)).mtimeMs).toBe(1_000_000);
    // Once it is gone (a failed verification deletes it), the next write keeps it again.
    await tier.delete(keyOf('a'));
    await tier.put(keyOf('a'), bytes('alpha'));
    expect(text(await tier.get(keyOf('a')))).toBe('alpha');
  });
});
