/**
 * The on-disk cache of indexed layers under `<data dir>/layers/<algorithm>/<hex>.<kind>` (`index`: table of
 * contents; `zran`: gzip checkpoints): one file per layer digest and kind (a layer never changes, so entries never go stale). Written atomically (temporary file, then rename)
 * and verified on read: a header line names the format, the digest and the SHA-256 of the payload that
 * follows; a file that does not match is ignored and removed, and the layer is indexed again.
 */
import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Bump when the payload shape changes: older files are then ignored (and replaced). */
export const STORE_FORMAT = 'porthole-layer-index/1';

interface StoreHeader {
  format: string;
  digest: string;
  sha256: string;
  length: number;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export type StoreKind = 'index' | 'zran';

/** The file of `digest` (digest grammar is checked by the caller: `algorithm:hex`). */
export function storePath(root: string, digest: string, kind: StoreKind = 'index'): string {
  const [algorithm, hex] = digest.split(':') as [string, string];
  return join(root, 'layers', algorithm, `${hex}.${kind}`);
}

/** Writes `payload` (JSON-serialisable) for `digest`, atomically. */
export async function writeStored(root: string, digest: string, payload: unknown, kind: StoreKind = 'index'): Promise<void> {
  const body = Buffer.from(JSON.stringify(payload));
  const header: StoreHeader = { format: STORE_FORMAT, digest, sha256: sha256(body), length: body.length };
  const file = storePath(root, digest, kind);
  await mkdir(join(file, '..'), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), body]));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The payload stored for `digest`, or undefined when there is none or it fails verification (then it is removed). */
export async function readStored<T>(root: string, digest: string, kind: StoreKind = 'index'): Promise<T | undefined> {
  const file = storePath(root, digest, kind);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  try {
    const newline = bytes.indexOf(0x0a);
    if (newline < 0) throw new Error('no header');
    const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as StoreHeader;
    const body = bytes.subarray(newline + 1);
    if (header.format !== STORE_FORMAT || header.digest !== digest || header.length !== body.length || header.sha256 !== sha256(body)) {
      throw new Error('mismatch');
    }
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    await rm(file, { force: true });
    return undefined;
  }
}
