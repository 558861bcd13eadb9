/**
 * Test fixtures made by the real GNU tar (and Debian's zstd through `tar --zstd`): a directory tree with long
 * names, hard links, symlinks, a fifo, a sparse file, whiteouts and an opaque directory, archived in the
 * formats container tools write.
 */
import { execFile } from 'node:child_process';
import { mkdir, open, symlink, link, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A directory name long enough that paths below it need GNU long names or PAX headers (> 100 and > 255 bytes). */
export const LONG_DIR = `usr/share/${'d'.repeat(120)}/${'e'.repeat(150)}`;
export const LONG_FILE = `${LONG_DIR}/a-file-with-a-long-name.txt`;
export const LONG_TARGET = `../../${'t'.repeat(140)}/target`;
export const FIXED_MTIME = 1_700_000_000;
export const SPARSE_SIZE = 8 * 1024 * 1024;

/** Writes the fixture tree into `dir` (which must exist and be empty). */
export async function writeFixtureTree(dir: string): Promise<void> {
  const p = (path: string) => join(dir, path);
  for (const d of ['etc', 'bin', 'tmp', 'var/run', 'opt/cache', LONG_DIR]) await mkdir(p(d), { recursive: true });
  await writeFile(p('etc/os-release'), 'ID=porthole\nVERSION_ID=1\n');
  await writeFile(p('bin/busybox'), '#!/bin/sh\necho busybox\n', { mode: 0o755 });
  await symlink('busybox', p('bin/sh'));
  await link(p('bin/busybox'), p('bin/ls'));
  await writeFile(p(LONG_FILE), 'long name\n');
  await link(p(LONG_FILE), p('etc/hardlink-to-long'));
  await symlink(LONG_TARGET, p('etc/long-symlink'));
  await run('mkfifo', [p('var/run/fifo')]);
  await writeFile(p('opt/.wh.removed'), '');
  await writeFile(p('opt/cache/.wh..wh..opq'), '');
  await writeFile(p('opt/cache/fresh'), 'fresh\n');
  // Sparse: data at the start and near the end, a hole between.
  const sparse = await open(p('var/sparse.img'), 'w');
  await sparse.write('HEAD', 0);
  await sparse.write('TAIL', SPARSE_SIZE - 4);
  await sparse.close();
}

export interface TarOptions {
  format?: 'gnu' | 'posix' | 'ustar';
  compress?: 'gzip' | 'zstd';
  /** `--sparse`: store sparse files as such. */
  sparse?: boolean;
  /** Paths to archive (default `.`). */
  paths?: string[];
}

/** Archives `dir` with GNU tar, deterministically (sorted, fixed owner and mtime). */
export async function gnuTar(dir: string, options: TarOptions = {}): Promise<Buffer> {
  const args = ['-C', dir, '--sort=name', '--owner=1234', '--group=5678', '--numeric-owner', `--mtime=@${FIXED_MTIME}`];
  args.push(`--format=${options.format ?? 'gnu'}`);
  if (options.sparse) args.push('--sparse');
  if (options.compress === 'gzip') args.push('--gzip');
  if (options.compress === 'zstd') args.push('--zstd');
  args.push('-cf', '-', ...(options.paths ?? ['.']));
  const { stdout } = await run('tar', args, { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, GZIP: '-n' } });
  return stdout;
}
