/**
 * Request observers: a process-wide list of functions told about every registry request the HTTP client makes
 * (one event per attempt, after redirects; token-server requests are not included) and every retry. The
 * registry layer knows nothing of metrics or logs; the server subscribes here (lib/server/observability.ts) and
 * turns the events into Prometheus series and JSON log lines.
 *
 * The list lives on `globalThis` under `Symbol.for('porthole.registryObservers')`: Next.js bundles the server into
 * several chunks, each with its own copy of this module, and the chunk that subscribes is not the one whose
 * clients send every request.
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import type { HttpMethod } from './transport';

/** One request attempt and how it ended. */
export interface RegistryRequestEvent {
  type: 'request';
  /** The name the registry client was created with (a configured source's name), or `''`. */
  source: string;
  /** Origin of the registry's base URL, e.g. `https://registry.example.com` (never a redirect target). */
  registry: string;
  method: HttpMethod;
  /** URL path of the request (no query), for log lines. */
  path: string;
  /** The HTTP status of the (last redirect's) response; absent when no response came. */
  status?: number;
  /** Without a response: the RegistryError code (`TIMEOUT`, `UNAVAILABLE`…), or `ABORTED` when the caller left. */
  error?: string;
  /** Without a response: the error's message (names the host and the failure, never a header). */
  message?: string;
  /** Time from sending (slot wait included) to the response headers, in ms. */
  durationMs: number;
  /** 0 for the first attempt, n for the n-th retry. */
  attempt: number;
}

/** A request sent again; `reason` is what the previous attempt came to (`429`, `503`, `UNAVAILABLE`…). */
export interface RegistryRetryEvent {
  type: 'retry';
  source: string;
  registry: string;
  method: HttpMethod;
  path: string;
  reason: string;
  /** Number of this retry (1 for the first). */
  attempt: number;
}

export type RegistryEvent = RegistryRequestEvent | RegistryRetryEvent;
export type RegistryObserver = (event: RegistryEvent) => void;

const KEY = Symbol.for('porthole.registryObservers');

function observers(): Set<RegistryObserver> {
  const scope = globalThis as Record<symbol, unknown>;
  let found = scope[KEY] as Set<RegistryObserver> | undefined;
  if (!found) {
    found = new Set();
    scope[KEY] = found;
  }
  return found;
}

/** Subscribes `observer` to every registry request of the process; returns the function that unsubscribes it. */
export function addRegistryObserver(observer: RegistryObserver): () => void {
  observers().add(observer);
  return () => observers().delete(observer);
}

/** Tells every observer; an observer that throws is ignored (observing must never fail a request). */
export function notifyRegistryObservers(event: RegistryEvent): void {
  for (const observer of observers()) {
    try {
      observer(event);
    } catch {
      // A broken metric or log sink is not the registry request's problem.
    }
  }
}

/** What every attempt of one call shares. */
export interface ObservedCall {
  source: string;
  registry: string;
  method: HttpMethod;
  path: string;
  signal?: AbortSignal;
}

/** Times the attempts of one call and reports each, plus a retry event for every attempt after the first. */
export class CallObservation {
  private previous = '';

  constructor(private readonly call: ObservedCall) {}

  async attempt<T extends { status: number }>(attempt: number, send: () => Promise<T>): Promise<T> {
    const { source, registry, method, path, signal } = this.call;
    if (attempt > 0) notifyRegistryObservers({ type: 'retry', source, registry, method, path, reason: this.previous, attempt });
    const started = performance.now();
    const base = { type: 'request' as const, source, registry, method, path, attempt };
    try {
      const response = await send();
      this.previous = String(response.status);
      notifyRegistryObservers({ ...base, status: response.status, durationMs: performance.now() - started });
      return response;
    } catch (error) {
      const aborted = signal?.aborted === true;
      const code = aborted ? 'ABORTED' : error instanceof RegistryError ? error.code : 'UNKNOWN';
      this.previous = code;
      const message = !aborted && error instanceof RegistryError ? error.message : undefined;
      notifyRegistryObservers({ ...base, error: code, ...(message ? { message } : {}), durationMs: performance.now() - started });
      throw error;
    }
  }
}
