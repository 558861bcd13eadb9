/** How a failed step of a cleanup is reported. Pure. */
import { RegistryError, type WireError } from '@/lib/oci/errors';

const CANCELLED: WireError = { code: 'UNAVAILABLE', message: 'the cleanup was cancelled' };

/** The wire form of a failure; anything that is not a RegistryError is reported without its internals. */
export function failureOf(error: unknown, signal: AbortSignal | undefined, mapError?: (error: unknown) => RegistryError): WireError {
  // Next.js aborts a route's signal with its own `ResponseAborted` error when the client goes away.
  if (signal?.aborted || (error as { name?: unknown } | null)?.name === 'AbortError') return CANCELLED;
  const mapped = error instanceof RegistryError ? error : mapError?.(error);
  return mapped ? mapped.toWire() : { code: 'UNKNOWN', message: 'internal error' };
}
