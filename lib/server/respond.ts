/**
 * The one way route handlers answer: JSON on success, the distribution-spec error body
 * `{"errors":[{"code","message","detail"}]}` with the code's status on failure. Nothing internal leaves:
 * unknown errors become `UNKNOWN` (500) and are logged here; configured secrets and local paths are redacted
 * from every message and detail.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#error-codes
 */
import 'server-only';
import type { ApiErrorBody } from '@/lib/api/types';
import { HTTP_STATUS, RegistryError, type ErrorCode, type WireError } from '@/lib/oci/errors';
import { redact } from '@/lib/redaction/secrets';
import { ConfigError } from './config';
import { noteServerActivity } from './server-activity';

// The redaction list is process-wide (lib/redaction/secrets.ts): every Next.js chunk sees what sources.ts set.
export { redact, setRedactions } from '@/lib/redaction/secrets';

function redactValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(redact(JSON.stringify(value))) as unknown;
  } catch {
    return undefined;
  }
}

/** JSON headers of every API answer: never cached by shared caches, never sniffed. */
export const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** A JSON answer; the serialised body is redacted (secrets a registry echoed must not reach the browser either). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(redact(JSON.stringify(body)), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** Node's network error codes that mean "the registry could not be reached". */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMED_OUT = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 4 && current; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps anything thrown to a RegistryError without internals. */
export function toRegistryError(error: unknown): RegistryError {
  if (error instanceof RegistryError) return error;
  if (error instanceof ConfigError) {
    return new RegistryError('UNKNOWN', 'Porthole configuration is invalid; see the server log');
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') return new RegistryError('TIMEOUT', 'the registry did not answer in time');
  if (name === 'AbortError') return new RegistryError('UNAVAILABLE', 'the request was aborted', { status: 499 });
  const code = errorCodeOf(error);
  if (code && TIMED_OUT.has(code)) return new RegistryError('TIMEOUT', 'the registry did not answer in time');
  if (code && UNREACHABLE.has(code)) return new RegistryError('UNAVAILABLE', 'the registry is not reachable');
  return new RegistryError('UNKNOWN', 'internal error');
}

/** The wire body and status for an error; messages and details redacted; `UNKNOWN` details dropped. */
export function errorBody(error: RegistryError): { status: number; body: ApiErrorBody } {
  const code = error.code as ErrorCode;
  const first: WireError = { code, message: redact(error.message) };
  // distribution puts storage paths in the detail of its 500 UNKNOWN errors: never pass those on.
  if (code !== 'UNKNOWN' && error.detail !== undefined) {
    const detail = redactValue(error.detail);
    if (detail !== undefined) first.detail = detail;
  }
  const others = (error.others ?? [])
    .filter((other) => other.code !== 'UNKNOWN')
    .map((other) => ({ code: other.code, message: redact(other.message ?? '') }));
  const status = Number.isInteger(error.status) && error.status >= 400 && error.status <= 599 ? error.status : (HTTP_STATUS[code] ?? 500);
  return { status, body: { errors: [first, ...others] } };
}

/** Logs unexpected failures (redacted) so that operators can see them; clients get only `UNKNOWN`. */
export function logError(context: string, error: unknown): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}${error.stack ? `\n${error.stack}` : ''}` : String(error);
  console.error(`[porthole] ${context}: ${redact(text)}`);
}

export function errorResponse(error: unknown, context = 'request'): Response {
  const mapped = toRegistryError(error);
  // A client that left (499) is not a server problem: nothing to log.
  if (!(error instanceof RegistryError) && mapped.status !== 499) logError(context, error);
  else if (mapped.status >= 500 && mapped.code === 'UNKNOWN') logError(context, error);
  const { status, body } = errorBody(mapped);
  return json(body, status);
}

/**
 * Runs a route's work: a returned Response passes through, any other value is sent as JSON (200), a thrown
 * value becomes the wire error body. Its start and the moment its answer is ready count as server activity
 * (background disk writes wait; a streamed answer is ready when its stream starts).
 */
export async function handle(request: Request, work: () => Promise<unknown>): Promise<Response> {
  noteServerActivity();
  try {
    const result = await work();
    if (result instanceof Response) return result;
    return json(result);
  } catch (error) {
    return errorResponse(error, `${request.method} ${safePath(request.url)}`);
  } finally {
    noteServerActivity();
  }
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '?';
  }
}
