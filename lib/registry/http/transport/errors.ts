import 'server-only';
import { codeForStatus, fromWireErrors, RegistryError, type ErrorCode } from '@/lib/oci/errors';
import { MAX_ERROR_BODY_BYTES, readPrefix, tryParseJson } from './body';
import type { Exchange } from './transport';

/**
 * What a 404 without a spec error body means for a request: distribution answers a router miss (e.g. an upper
 * case repository name) with `text/plain` `404 page not found`, and a HEAD has no body at all, so the call site
 * says which "unknown" it was looking for.
 */
export interface ErrorContext {
  notFound?: ErrorCode;
}

/**
 * Builds the RegistryError for a failed response: the registry's own code from `{"errors":[…]}` (read up to
 * 8 KiB, parsed defensively), else a code derived from the status. Server-side details of 5xx answers are dropped
 * (distribution puts storage paths there).
 */
export async function errorFromResponse(exchange: Exchange, context: ErrorContext = {}): Promise<RegistryError> {
  const bytes = exchange.body.destroyed ? new Uint8Array() : await readPrefix(exchange, MAX_ERROR_BODY_BYTES);
  const body = bytes.length > 0 ? tryParseJson(bytes) : undefined;
  const status = exchange.status;
  if (status < 400) {
    return new RegistryError('UNKNOWN', `${exchange.url.host}: unexpected HTTP ${status}`, { status: 502 });
  }
  const fallback: ErrorCode = status === 404 && context.notFound ? context.notFound : codeForStatus(status);
  const error = fromWireErrors(status, body, fallback);
  const message = `${exchange.url.host}: ${error.message}`;
  if (status >= 500) {
    // A failing upstream is a bad gateway for Porthole's callers, not an internal error of Porthole.
    return new RegistryError(error.code, message, { status: error.code === 'TIMEOUT' ? 504 : 502 });
  }
  // A registry that answers 4xx with code UNKNOWN (or one we do not know) still told us the status.
  const code = error.code === 'UNKNOWN' ? fallback : error.code;
  return new RegistryError(code, message, { status, detail: error.detail, others: error.others });
}

/** An answer that makes no sense for the request (e.g. 200 where 201 is required). */
export function unexpectedStatus(exchange: Exchange, what: string): RegistryError {
  return new RegistryError('UNKNOWN', `${exchange.url.host}: unexpected HTTP ${exchange.status} for ${what}`, { status: 502 });
}
