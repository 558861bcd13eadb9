/**
 * The errors of layer reading, all {@link RegistryError}s with code UNSUPPORTED and HTTP 422 ("the blob is there
 * but cannot be read as a layer"), telling the reason in `detail.reason` so that programs can tell them apart.
 */
import { RegistryError } from '@/lib/oci/errors';

export type LayerErrorReason =
  /** The uncompressed bytes are not a tar stream (bad header checksum, unknown magic). */
  | 'not-a-tarball'
  /** The compressed stream is broken (bad gzip/zstd data, CRC mismatch). */
  | 'corrupt'
  /** The stream ends in the middle of an entry or of the compressed data. */
  | 'truncated'
  /** A limit was reached: blob size, uncompressed size, entry count, name length. */
  | 'too-large'
  /** A foreign (non-distributable) layer: its bytes live elsewhere and are not read. */
  | 'foreign'
  /** A media type that is not a layer tarball. */
  | 'not-a-layer';

export function layerError(reason: LayerErrorReason, message: string, detail: Record<string, unknown> = {}, cause?: unknown): RegistryError {
  return new RegistryError('UNSUPPORTED', message, { status: 422, detail: { reason, ...detail }, ...(cause === undefined ? {} : { cause }) });
}
