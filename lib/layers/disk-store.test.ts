import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStored, storePath, writeStored } from './disk-store';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('layer index disk store', () => {
  it('round-trips a payload and leaves no temporary files', async () => {
    await writeStored(root, DIGEST, { entries: [{ path: 'etc/os-release' }] });
    expect(await readStored(root, DIGEST)).toEqual({ entries: [{ path: 'etc/os-release' }] });
    expect(await readdir(join(root, 'layers', 'sha256'))).toEqual([`${'ab'.repeat(32)}.index`]);
  });

  it('ignores and removes a file whose payload was altered', async () => {
    await writeStored(root, DIGEST, { size: 1 });
    const file = storePath(root, DIGEST);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"size":1', '"size":2'));
    expect(await readStored(root, DIGEST)).toBeUndefined();
    await expect(readFile(file)).rejects.toThrow();
  });

  it('ignores a file stored under another digest', async () => {
    const other = `sha256:${'cd'.repeat(32)}`;
    await writeStored(root, other, { size: 1 });
    await writeFile(storePath(root, DIGEST), await readFile(storePath(root, other)));
    expect(await readStored(root, DIGEST)).toBeUndefined();
  });

  it('answers undefined when nothing is stored', async () => {
    expect(await readStored(root, DIGEST)).toBeUndefined();
  });
});
