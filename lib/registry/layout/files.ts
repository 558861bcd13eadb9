/**
 * File-system primitives of the layout backend: atomic writes (temp file in the same directory, fsync,
 * rename — the same approach as regclient's ocidir), existence checks and error mapping that never puts a
 * file path into a RegistryError message.
 */
import 'server-only';
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RegistryError, isRegistryError } from '@/lib/oci/errors';

/** A name for a temp file next to its target; the leading dot keeps it out of repository and blob listings. */
export function tempName(dir: string): string {
  return join(dir, `.tmp-${process.pid}-${randomBytes(8).toString('hex')}`);
}

export function isErrno(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes((error as { code?: string }).code ?? '');
}

/** Re-throws RegistryErrors and aborts as they are; anything else becomes UNKNOWN without internals. */
export function storageError(error: unknown): never {
  if (isRegistryError(error)) throw error;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) throw error;
  throw new RegistryError('UNKNOWN', 'layout storage error', { cause: error });
}

/** Roots whose writes skip fsync (see `LayoutOptions.durable`). */
const volatileRoots = new Set<string>();

/** Marks writes below `root` as not needing fsync (content that is renamed into place when complete). */
export function setDurable(root: string, durable: boolean): void {
  if (durable) volatileRoots.delete(root);
  else volatileRoots.add(root);
}

function needsSync(target: string): boolean {
  for (const root of volatileRoots) if (target.startsWith(root + '/')) return false;
  return true;
}

/**
 * Writes `target` atomically: `fill` writes into a temp file in the same directory, which is fsynced and
 * renamed over `target` only when `fill` resolved. On failure the temp file is removed.
 */
export async function writeAtomic(target: string, fill: (handle: FileHandle) => Promise<void>): Promise<void> {
  const dir = dirname(target);
  await mkdir(dir, { recursive: true });
  const temp = tempName(dir);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await fill(handle);
    if (needsSync(target)) await handle.sync();
    await handle.close();
    await rename(temp, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Writes bytes to `target` atomically. */
export function writeFileAtomic(target: string, bytes: Uint8Array | string): Promise<void> {
  return writeAtomic(target, async (handle) => {
    await handle.writeFile(bytes);
  });
}

/** Size of a regular file, or undefined when it does not exist (or is not a file). */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  }
}
