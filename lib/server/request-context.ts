/**
 * The request id of the API or registry request being served, carried with AsyncLocalStorage from the server
 * entry (lib/server/guarded-server.ts, which every `/api` and `/v2` request passes) into the registry requests
 * and log lines it causes, and returned to the client in `X-Request-Id`.
 *
 * The storage lives on `globalThis` under `Symbol.for('porthole.requestContext')`: the server entry runs outside
 * the Next.js bundles and each bundle chunk has its own copy of this module, yet all must read the one store.
 * Deliberately no `server-only` import, for the same reason as request-guard.ts.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What is known about the request being served. */
export interface RequestContext {
  /** The id returned in `X-Request-Id` and written into every log line of the request. */
  requestId: string;
}

/** Name of the header that carries the id both ways. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * An incoming id is kept when it is 1–128 characters of letters, digits and `.` `_` `:` `-`, starting with a
 * letter or digit (UUIDs, ULIDs, W3C trace ids and the ids of common proxies pass); anything else is replaced,
 * so a client cannot write spaces, quotes or control characters into the log.
 */
const SANE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const KEY = Symbol.for('porthole.requestContext');

function storage(): AsyncLocalStorage<RequestContext> {
  const scope = globalThis as Record<symbol, unknown>;
  let found = scope[KEY] as AsyncLocalStorage<RequestContext> | undefined;
  if (!found) {
    found = new AsyncLocalStorage<RequestContext>();
    scope[KEY] = found;
  }
  return found;
}

/** The incoming id when it is sane (see {@link SANE_ID}), otherwise a new random UUID. */
export function requestIdFor(incoming: string | readonly string[] | null | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return typeof value === 'string' && SANE_ID.test(value) ? value : randomUUID();
}

/** Runs `work` with `context` as the current request (for everything it starts, awaited or not). */
export function runWithRequest<T>(context: RequestContext, work: () => T): T {
  return storage().run(context, work);
}

/** The id of the request being served, or undefined outside one (start-up, the command line, tests). */
export function currentRequestId(): string | undefined {
  return storage().getStore()?.requestId;
}
