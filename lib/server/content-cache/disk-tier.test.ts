import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { blobKey } from '@/lib/registry/cache/keys';
import { digestOf } from '@/lib/registry/testing/digest';
import { diskTier, flushHeldWritesSync, SYNC_READ_MAX_BYTES } from './disk-tier';
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
    await tier.flush();
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
    await tier.flush();
    expect(text(await tier.get(keyOf('b')))).toBeUndefined();
    expect(await readFile(join(root, relativePathOf(keyOf('b')))).catch(() => 'gone')).toBe('gone');
    expect(text(await tier.get(keyOf('a')))).toBe('aaaa');
    expect(tier.bytes()).toBe(8);
  });

  it('rebuilds its index from the files on start, oldest first, and removes interrupted writes', async () => {
    const first = diskTier({ root, maxBytes: 100 });
    await first.put(keyOf('old'), bytes('old!'));
    await first.put(keyOf('new'), bytes('new!'));
    await first.flush();
    await utimes(join(root, relativePathOf(keyOf('old'))), new Date(1_000_000), new Date(1_000_000));
    await mkdir(join(root, 'tmp'), { recursive: true });
    await writeFile(join(root, 'tmp', 'interrupted'), 'half');
    await utimes(join(root, 'tmp', 'interrupted'), new Date(1_000_000), new Date(1_000_000));
    // A write another process is making right now (a fresh temporary file) is left alone.
    await writeFile(join(root, 'tmp', 'in-progress'), 'half');
    await writeFile(join(root, 'stray-file'), 'not an entry');

    // A restart with a smaller bound keeps the most recently used entry only.
    const second = diskTier({ root, maxBytes: 6 });
    await second.ready;
    expect(await readdir(join(root, 'tmp')).catch(() => [])).toEqual(['in-progress']);
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
    await tier.flush();
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

describe('disk tier write-behind', () => {
  const onDisk = async (name: string) => readFile(join(root, relativePathOf(keyOf(name))), 'utf8').catch(() => undefined);

  it('holds entries while puts keep coming, serves them, and writes them once puts pause', async () => {
    const tier = diskTier({ root, maxBytes: 1000, quietMs: 40 });
    await tier.put(keyOf('a'), bytes('alpha'));
    await tier.put(keyOf('b'), bytes('beta'));
    // Held: served, counted, not on disk yet.
    expect(text(await tier.get(keyOf('a')))).toBe('alpha');
    expect(tier.bytes()).toBe(9);
    expect(await onDisk('a')).toBeUndefined();
    // Both written in the background ('a', read since, after 'b').
    await vi.waitFor(async () => expect([await onDisk('b'), await onDisk('a')]).toEqual(['beta', 'alpha']), { timeout: 5000, interval: 10 });
    expect(tier.bytes()).toBe(9);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('writes the oldest held entries at once beyond its bound, even while puts keep coming', async () => {
    const tier = diskTier({ root, maxBytes: 1000, quietMs: 60_000, maxPendingEntries: 2 });
    for (const name of ['a', 'b', 'c', 'd']) await tier.put(keyOf(name), bytes(name));
    await vi.waitFor(async () => expect(await onDisk('b')).toBe('b'), { timeout: 2000, interval: 10 });
    expect(await onDisk('a')).toBe('a');
    // The two newest stay held (the quiet time is a minute).
    expect(await onDisk('d')).toBeUndefined();
    await tier.flush();
    expect(await onDisk('d')).toBe('d');
  });

  it('writes what is held synchronously for the process exit, so a restarted tier finds it', async () => {
    const tier = diskTier({ root, maxBytes: 1000, quietMs: 60_000 });
    await tier.put(keyOf('a'), bytes('alpha'));
    expect(await onDisk('a')).toBeUndefined();
    flushHeldWritesSync();
    expect(await onDisk('a')).toBe('alpha');
    const restarted = diskTier({ root, maxBytes: 1000 });
    expect(text(await restarted.get(keyOf('a')))).toBe('alpha');
    expect(await readdir(join(root, 'tmp')).catch(() => [])).toEqual([]);
  });

  it('reads a small entry without waiting for the thread pool, in memory of its own; a large one whole', async () => {
    const large = new Uint8Array(SYNC_READ_MAX_BYTES + 1000).fill(7);
    const first = diskTier({ root, maxBytes: 1_000_000 });
    await first.put(keyOf('small'), bytes('small entry'));
    await first.put(keyOf('large'), large);
    await first.flush();
    const restarted = diskTier({ root, maxBytes: 1_000_000 });
    await restarted.ready;
    let small: Uint8Array | undefined;
    void restarted.get(keyOf('small')).then((value) => (small = value));
    // Only microtasks run here: a read through the thread pool could not have completed.
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(text(small)).toBe('small entry');
    // Not a slice of Node's shared 8 KB pool, which the memory tier would keep alive for 11 bytes.
    expect(small!.buffer.byteLength).toBe(small!.byteLength);
    expect(await restarted.get(keyOf('large'))).toEqual(large);
  });

  it('never writes an entry deleted while it was held', async () => {
    const tier = diskTier({ root, maxBytes: 1000, quietMs: 20 });
    await tier.put(keyOf('a'), bytes('alpha'));
    await tier.put(keyOf('b'), bytes('beta'));
    await tier.delete(keyOf('a'));
    await tier.flush();
    expect(await onDisk('a')).toBeUndefined();
    expect(await tier.get(keyOf('a'))).toBeUndefined();
    expect(await onDisk('b')).toBe('beta');
    expect(tier.bytes()).toBe(4);
  });

  it('reports a held write that fails and drops the entry', async () => {
    const errors: unknown[] = [];
    const tier = diskTier({ root, maxBytes: 1000, quietMs: 20, onWriteError: (error) => errors.push(error) });
    await tier.ready;
    // A file where the entry's directory must go.
    await writeFile(join(root, 'blob'), 'in the way');
    await tier.put(keyOf('a'), bytes('alpha'));
    await tier.flush();
    expect(errors).toHaveLength(1);
    expect(await tier.get(keyOf('a'))).toBeUndefined();
    expect(tier.bytes()).toBe(0);
  });

  it('ends a put and a delete of one key made in the same tick in that order: nothing is written', async () => {
    const tier = diskTier({ root, maxBytes: 1000, quietMs: 20 });
    const put = tier.put(keyOf('a'), bytes('alpha'));
    const removed = tier.delete(keyOf('a'));
    await Promise.all([put, removed]);
    await tier.flush();
    expect(await onDisk('a')).toBeUndefined();
    expect(await tier.get(keyOf('a'))).toBeUndefined();
  });

  it('makes a put wait for the writes beyond twice its bound, so what is held stays bounded', async () => {
    const tier = diskTier({ root, maxBytes: 1000, quietMs: 60_000, maxPendingEntries: 1 });
    await tier.put(keyOf('a'), bytes('a'));
    await tier.put(keyOf('b'), bytes('b'));
    // The third put is beyond twice the bound (1): it returns once the oldest were written.
    await tier.put(keyOf('c'), bytes('c'));
    expect(await onDisk('a')).toBe('a');
    expect(await onDisk('b')).toBe('b');
    await tier.flush();
    expect(await onDisk('c')).toBe('c');
  });

  it('reports a failed write once at exit and does not throw out of the exit handler', async () => {
    const errors: unknown[] = [];
    const tier = diskTier({ root, maxBytes: 1000, quietMs: 60_000, onWriteError: (error) => {
      errors.push(error);
      throw new Error('a reporter that fails');
    } });
    await tier.ready;
    await writeFile(join(root, 'blob'), 'in the way');
    await tier.put(keyOf('a'), bytes('alpha'));
    await tier.put(keyOf('b'), bytes('beta'));
    expect(() => flushHeldWritesSync()).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(tier.bytes()).toBe(0);
  });

  it('holds its writes while the process is busy with other work, and writes them once that pauses', async () => {
    let activeAt = Date.now();
    const tier = diskTier({ root, maxBytes: 1000, quietMs: 20, activeAt: () => activeAt });
    const keepBusy = setInterval(() => (activeAt = Date.now()), 5);
    try {
      await tier.put(keyOf('a'), bytes('alpha'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await onDisk('a')).toBeUndefined();
    } finally {
      clearInterval(keepBusy);
    }
    await vi.waitFor(async () => expect(await onDisk('a')).toBe('alpha'), { timeout: 5000, interval: 10 });
  });
});
