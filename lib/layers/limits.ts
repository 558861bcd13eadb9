/**
 * Limits of layer reading. Every one ends a read with a `too-large` layer error (HTTP 422) instead of a hang
 * or an out-of-memory. Overridable through environment variables (read once per process).
 */
import type { ScanLimits } from './tar/scanner';

export interface LayerLimits extends ScanLimits {
  /** Largest blob (compressed) that is read: `PORTHOLE_LAYER_MAX_BYTES`, default 8 GiB. */
  maxBlobBytes: number;
  /** Largest uncompressed tar stream: `PORTHOLE_LAYER_MAX_TAR_BYTES`, default 32 GiB. */
  maxTarBytes: number;
}

function fromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

export function layerLimits(): LayerLimits {
  return {
    maxBlobBytes: fromEnv('PORTHOLE_LAYER_MAX_BYTES', 8 * 1024 ** 3),
    maxTarBytes: fromEnv('PORTHOLE_LAYER_MAX_TAR_BYTES', 32 * 1024 ** 3),
    maxEntries: fromEnv('PORTHOLE_LAYER_MAX_ENTRIES', 1_000_000),
    maxMetaBytes: 1024 * 1024,
  };
}
