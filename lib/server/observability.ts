/**
 * What operators see of Porthole's work (docs/operations.md): registry requests become Prometheus series
 * (lib/server/metrics) and, when they fail or are slow, JSON log lines (json-log.ts); audited changes are
 * counted, and every deletion attempt gets a log line too. The registry layer only reports events
 * (lib/registry/http/transport/observers.ts); this module is the one subscriber.
 */
import 'server-only';
import { addRegistryObserver, type RegistryEvent } from '@/lib/registry/http/transport/observers';
import { writeLog, type LogRecord } from './json-log';
import { recordChange, recordRegistryEvent } from './metrics';

/** Default threshold of a slow registry request (time to response headers), in ms. */
export const DEFAULT_SLOW_REQUEST_MS = 2000;

/** The slow-request threshold: `PORTHOLE_SLOW_REQUEST_MS` when it is a positive number, else the default. */
export function slowRequestMs(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.PORTHOLE_SLOW_REQUEST_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_SLOW_REQUEST_MS;
}

/**
 * The log line a registry event deserves, if any: `registry_error` for an attempt that got no answer (timeout,
 * refused or reset connection; not the caller leaving), a 429 (warn) or a 5xx (error); `registry_slow` (warn)
 * for any other attempt that took at least `slowMs` to its response headers. Retries and answers such as 404
 * (a normal answer to many probes) are not logged; the metrics count them.
 */
export function registryLogRecord(event: RegistryEvent, slowMs: number): LogRecord | undefined {
  if (event.type !== 'request' || event.error === 'ABORTED') return undefined;
  const fields = {
    source: event.source,
    registry: event.registry,
    method: event.method,
    path: event.path,
    ...(event.status !== undefined ? { status: event.status } : { error: event.error, ...(event.message ? { message: event.message } : {}) }),
    durationMs: Math.round(event.durationMs),
    attempt: event.attempt,
  };
  const failed = event.status === undefined || event.status === 429 || event.status >= 500;
  if (failed) return { level: event.status === 429 ? 'warn' : 'error', event: 'registry_error', fields };
  if (event.durationMs >= slowMs) return { level: 'warn', event: 'registry_slow', fields: { ...fields, thresholdMs: slowMs } };
  return undefined;
}

const INSTALLED = Symbol.for('porthole.observability.installed');

function installed(): boolean {
  return (globalThis as Record<symbol, unknown>)[INSTALLED] === true;
}

/**
 * Subscribes the metrics and the log to every registry request of the process, once, and turns on the
 * `deletion` log lines. Called at server start (instrumentation.ts); the command-line tools do not, so their
 * output stays theirs.
 */
export function installObservability(): void {
  const scope = globalThis as Record<symbol, unknown>;
  if (scope[INSTALLED]) return;
  scope[INSTALLED] = true;
  addRegistryObserver((event) => {
    recordRegistryEvent(event);
    const record = registryLogRecord(event, slowRequestMs());
    if (record) writeLog(record);
  });
}

/** The audit entry fields this module reads (declared here: audit.ts calls in, so it cannot be imported). */
export interface AuditedChange {
  action: string;
  result: string;
  user: string;
  source: string;
  repository?: string;
  tag?: string;
  digest?: string;
  deleted?: string[];
  error?: { code: string; message: string };
}

const DELETIONS = new Set(['delete-tag', 'delete-manifest', 'delete', 'delete-blob']);

/** The `deletion` log line of an audited delete attempt (any outcome); undefined for other actions. */
export function deletionLogRecord(entry: AuditedChange): LogRecord | undefined {
  if (!DELETIONS.has(entry.action)) return undefined;
  const { action, result, user, source, repository, tag, digest, deleted, error } = entry;
  const level = result === 'ok' ? 'info' : result === 'error' ? 'error' : 'warn';
  const fields = { action, result, user, source, repository, tag, digest, deleted, error };
  return { level, event: 'deletion', fields: Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) };
}

/**
 * Counts an audited change and, in the server ({@link installObservability}), logs it when it is a deletion.
 * Called once per written audit entry. Never throws.
 */
export function observeAudit(entry: AuditedChange): void {
  try {
    recordChange(entry.action, entry.result);
    const record = installed() ? deletionLogRecord(entry) : undefined;
    if (record) writeLog(record);
  } catch {
    // Metrics and logs must never fail the audited work.
  }
}
