/**
 * Structured log lines: one JSON object per line on stdout, for log collectors (docs/operations.md, "Logs").
 * Every line has `time`, `level`, `event` and, inside a request, `requestId` (the `X-Request-Id` of the answer,
 * lib/server/request-context.ts); the rest are the event's fields. Every line passes through the redaction list
 * (lib/redaction/secrets.ts) as a whole, so a secret in any field (an echoed header in an error message, a
 * source name that is a password) is replaced.
 *
 * The sink lives on `globalThis` (`Symbol.for('porthole.jsonLog.sink')`) so that tests can capture lines written
 * by any chunk (lib/server/testing/log-capture.ts).
 */
import 'server-only';
import { redact } from '@/lib/redaction/secrets';
import { currentRequestId } from './request-context';

export type LogLevel = 'info' | 'warn' | 'error';

/** One log event: its level, its name (`registry_error`, `registry_slow`, `deletion`…) and its own fields. */
export interface LogRecord {
  level: LogLevel;
  event: string;
  fields: Record<string, unknown>;
}

/** Longest string kept in a field; longer ones are cut (a registry's error message can be a whole HTML page). */
const MAX_FIELD_CHARS = 1000;

function trimmed(value: unknown): unknown {
  if (typeof value === 'string') return value.length > MAX_FIELD_CHARS ? `${value.slice(0, MAX_FIELD_CHARS)}…` : value;
  if (Array.isArray(value)) return value.map(trimmed);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimmed(v)]));
  return value;
}

const HEAD_FIELDS = new Set(['time', 'level', 'event', 'requestId']);

/**
 * The line for `record` (no trailing newline): `time`, `level`, `event`, `requestId` (when given) first, then the
 * fields, which cannot override those four. JSON escapes control characters, so a value cannot start a new line.
 */
export function formatLogLine(record: LogRecord, time: Date, requestId: string | undefined): string {
  const fields = Object.entries(trimmed(record.fields) as Record<string, unknown>).filter(([name]) => !HEAD_FIELDS.has(name));
  const head = { time: time.toISOString(), level: record.level, event: record.event, ...(requestId ? { requestId } : {}) };
  return redact(JSON.stringify({ ...head, ...Object.fromEntries(fields) }));
}

type Sink = (line: string) => void;
const SINK = Symbol.for('porthole.jsonLog.sink');
const defaultSink: Sink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Replaces where lines go (tests); returns the function that restores the previous sink. */
export function setLogSink(sink: Sink): () => void {
  const scope = globalThis as Record<symbol, unknown>;
  const previous = scope[SINK] as Sink | undefined;
  scope[SINK] = sink;
  return () => {
    scope[SINK] = previous;
  };
}

/** Writes one line for `record`, stamped with the current time and request id. Never throws. */
export function writeLog(record: LogRecord): void {
  try {
    const sink = ((globalThis as Record<symbol, unknown>)[SINK] as Sink | undefined) ?? defaultSink;
    sink(formatLogLine(record, new Date(), currentRequestId()));
  } catch {
    // Logging must never fail the work it describes.
  }
}
