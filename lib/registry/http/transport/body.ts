import 'server-only';
import type { RegistryError } from '@/lib/oci/errors';
import { joinBytes } from '@/lib/registry/read-all';
import { transportError, type Exchange, type TransportSettings } from './transport';

/** Largest manifest Porthole reads or writes (oras `MaxMetadataBytes`, regclient's push limit). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Largest error body read; the rest is discarded (cue-labs and oras read 8 KiB). */
export const MAX_ERROR_BODY_BYTES = 8 * 1024;
/** Largest token-server answer read (JWTs with certificate chains are a few KiB). */
export const MAX_TOKEN_BODY_BYTES = 1024 * 1024;
/** Largest JSON list page read (a 1000-entry catalog page with long names stays far below). */
export const MAX_LIST_BODY_BYTES = 16 * 1024 * 1024;

/** A header's value; repeated headers are joined with `, ` (as `Headers.get` does). */
export function header(exchange: Pick<Exchange, 'headers'>, name: string): string | undefined {
  const value = exchange.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Every value of a header, one entry per header line. */
export function headerValues(exchange: Pick<Exchange, 'headers'>, name: string): string[] {
  const value = exchange.headers[name.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Throws the transport error for a failed read, mapped like a failed request. */
function readError(error: unknown, exchange: Exchange, settings: TransportSettings, signal?: AbortSignal): unknown {
  return transportError(error, exchange.url, settings, signal);
}

/** Discards a body (releasing its slot). Never throws. */
export async function discard(exchange: Exchange): Promise<void> {
  try {
    await exchange.body.dump({ limit: 64 * 1024 });
  } catch {
    // A body that fails while being thrown away changes nothing.
  } finally {
    if (!exchange.body.destroyed) exchange.body.destroy();
  }
}

/**
 * Reads a whole body, refusing more than `limit` bytes: first by `Content-Length`, then while streaming (a
 * registry may lie or send no length). `tooLarge` builds the error.
 */
export async function readCapped(
  exchange: Exchange,
  limit: number,
  tooLarge: () => RegistryError,
  settings: TransportSettings,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const declared = Number(header(exchange, 'content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    exchange.body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of exchange.body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) {
        exchange.body.destroy();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (total > limit) throw error;
    throw readError(error, exchange, settings, signal);
  }
  // A buffer of its own, not a view into Node's shared 8 KiB pool (Buffer.concat under 4 KiB): the content
  // cache keeps these bytes, and a pooled view would keep the whole slab alive with them.
  return joinBytes(chunks, total);
}

/** Reads at most `limit` bytes and drops the rest (for error bodies: a short prefix is all we show). */
export async function readPrefix(exchange: Exchange, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of exchange.body as AsyncIterable<Buffer>) {
      const room = limit - total;
      chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
      total += Math.min(room, chunk.length);
      if (total >= limit) break;
    }
  } catch {
    // A truncated error body still says what it can.
  } finally {
    if (!exchange.body.destroyed) exchange.body.destroy();
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/** Parses JSON without throwing; undefined when the bytes are not JSON. */
export function tryParseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
