/**
 * Layer tables of contents and gzip checkpoints, kept in the process's content store (memory, disk under
 * `<data dir>/cache/toc`, any shared tier; `lib/server/content-cache`) under `toc/<digest>` (table of contents)
 * and `toc/<digest>/checkpoints`. A layer never changes, so entries never go stale.
 *
 * These bytes are derived from the layer, so they do not hash to the key's digest and the store does not check
 * them: each entry carries its own check instead. A header line names the format, the digest and the SHA-256
 * of the payload that follows; an entry that does not match is ignored and removed, and the layer is indexed
 * again.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import type { ContentStore } from '@/lib/registry/cache/content-store';
import { tocKey } from '@/lib/registry/cache/keys';
import type { Digest } from '@/lib/oci/types';

/** Bump when the payload shape changes: older entries are then ignored (and replaced). */
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

/** The content store key of `digest`'s entry of `kind`. */
export function storeKey(digest: Digest, kind: StoreKind = 'index'): string {
  return kind === 'index' ? tocKey(digest) : tocKey(digest, 'checkpoints');
}

/** The bytes kept for `payload` (JSON-serialisable) of `digest`: a header line, then the JSON. */
export function encodeStored(digest: string, payload: unknown): Uint8Array {
  const body = Buffer.from(JSON.stringify(payload));
  const header: StoreHeader = { format: STORE_FORMAT, digest, sha256: sha256(body), length: body.length };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), body]);
}

/** The payload of `bytes` when they are an intact entry of `digest`, else undefined. */
export function decodeStored<T>(digest: string, bytes: Uint8Array): T | undefined {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const newline = buffer.indexOf(0x0a);
    if (newline < 0) return undefined;
    const header = JSON.parse(buffer.subarray(0, newline).toString('utf8')) as StoreHeader;
    const body = buffer.subarray(newline + 1);
    if (header.format !== STORE_FORMAT || header.digest !== digest || header.length !== body.length || header.sha256 !== sha256(body)) return undefined;
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Keeps `payload` for `digest` (nothing without a store). Throws when no tier could keep it. */
export async function writeStored(store: ContentStore | undefined, digest: Digest, payload: unknown, kind: StoreKind = 'index'): Promise<void> {
  await store?.put(storeKey(digest, kind), encodeStored(digest, payload));
}

/** The payload kept for `digest`, or undefined when there is none or it fails its check (then it is removed). */
export async function readStored<T>(store: ContentStore | undefined, digest: Digest, kind: StoreKind = 'index'): Promise<T | undefined> {
  if (!store) return undefined;
  const key = storeKey(digest, kind);
  const bytes = await store.get(key).catch(() => undefined);
  if (!bytes) return undefined;
  const payload = decodeStored<T>(digest, bytes);
  if (payload === undefined) await store.delete(key).catch(() => undefined);
  return payload;
}
