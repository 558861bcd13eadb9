/**
 * The audit log: one JSON object per line for every state-changing attempt (deletes, cleanup executions) and its
 * outcome (time, user, source, repository, tag/digest, method, result), refusals included. Written to the
 * configured `auditLog` file (appended, one write per entry, in order), or to stdout when none is configured.
 * Never contains credentials: entries hold names, digests and error codes only, and pass through the same
 * redaction as responses. Values that came from the request are recorded safely (`safeAuditText`).
 */
import 'server-only';
import { appendFile, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RegistryError } from '@/lib/oci/errors';
import { observeAudit } from './observability';
import { redact } from './respond';

/**
 * `delete`: a delete request too malformed to tell a tag from a manifest; `cleanup`: a cleanup execution; the
 * `push-*`, `mount-blob` and `delete-blob` actions are changes through the /v2 registry server; `copy`: a
 * `POST /api/copy` or `npm run copy` (docs/copy.md).
 */
export type AuditAction =
  | 'delete-tag'
  | 'delete-manifest'
  | 'delete'
  | 'cleanup'
  | 'push-manifest'
  | 'push-blob'
  | 'mount-blob'
  | 'delete-blob'
  | 'copy';

/**
 * `ok` done; `refused` invalid input (bad repository, tag, digest, path or policy), refused before any registry
 * request; `denied` not allowed (cross-site, no authenticated user, read-only source, the registry's refusal of
 * the credentials); `error` attempted and failed (the registry refused or failed, unknown tag…).
 */
export type AuditResult = 'ok' | 'refused' | 'denied' | 'error';

export interface AuditEntry {
  /** RFC 3339 time the outcome was known. */
  time: string;
  action: AuditAction;
  user: string;
  source: string;
  /** Absent for a cleanup, which may cover several repositories. */
  repository?: string;
  tag?: string;
  digest?: string;
  cascade?: boolean;
  /** Blob mounts: the repository (`<source>/<repo>`) the blob came from; copies: the `from` reference as asked. */
  from?: string;
  /** Copies: the `to` reference as asked (`source`/`repository`/`tag` are the destination's). */
  to?: string;
  /** How a tag was removed (`native` / `placeholder`). */
  method?: string;
  result: AuditResult;
  /** Cleanup: whether the request asked for a dry run (absent when the refusal came before the body was read). */
  dryRun?: boolean;
  /** Cleanup executions: how many deletions were done, failed and skipped. */
  counts?: { deleted: number; failed: number; skipped: number };
  /** Manifests deleted (manifest deletes). */
  deleted?: string[];
  /** Tags removed with them (manifest deletes). */
  tags?: string[];
  /** Tags still on the digest after a tag delete. */
  remainingTags?: string[];
  /** Copies: what was copied (manifests and referrers among them, blobs by action, blob bytes sent). */
  copied?: { manifests: number; referrers: number; blobsSent: number; blobsSkipped: number; blobsMounted: number; bytesSent: number };
  error?: { code: string; message: string };
}

// One chain for the whole process (not per Next.js chunk), so entries of all routes are written in order.
const CHAIN = Symbol.for('porthole.audit.writeChain');
const chains = globalThis as Record<symbol, Promise<void> | undefined>;

/** Checks that the audit log can be appended to (creating its directory); throws UNAVAILABLE otherwise. */
export async function ensureAuditLogWritable(path: string | undefined): Promise<void> {
  if (!path) return;
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'a');
    await handle.close();
  } catch {
    throw new RegistryError('UNAVAILABLE', 'the audit log is not writable, so deleting is disabled', { status: 503 });
  }
}

/** Longest text recorded from a request; longer values are cut and marked with `…[+N]`. */
export const AUDIT_TEXT_LIMIT = 256;

/**
 * Text from a request as it may go into the audit log: control characters (C0, DEL, C1), line and paragraph
 * separators and bidirectional overrides become U+FFFD (they could forge or hide lines in a viewer), and long
 * values are cut at {@link AUDIT_TEXT_LIMIT} characters.
 */
export function safeAuditText(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
  const chars = Array.from(clean);
  return chars.length > AUDIT_TEXT_LIMIT ? `${chars.slice(0, AUDIT_TEXT_LIMIT).join('')}…[+${chars.length - AUDIT_TEXT_LIMIT}]` : clean;
}

/** Applies {@link safeAuditText} to every string in an entry (nested arrays and objects included). */
function sanitize(value: unknown): unknown {
  if (typeof value === 'string') return safeAuditText(value);
  if (Array.isArray(value)) return value.map(sanitize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sanitize(v)]));
  return value;
}

/** Appends an entry (serialised with every other entry of this process). Rejects when the file write fails. */
export function writeAudit(path: string | undefined, entry: AuditEntry): Promise<void> {
  const clean = sanitize(entry) as AuditEntry;
  const line = redact(JSON.stringify(clean)) + '\n';
  const next = (chains[CHAIN] ?? Promise.resolve()).then(async () => {
    if (!path) {
      process.stdout.write(`[porthole audit] ${line}`);
      return;
    }
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, line, { encoding: 'utf8', mode: 0o600 });
  });
  // Keep the chain alive after a failed write; the caller still sees the failure.
  chains[CHAIN] = next.catch(() => undefined);
  // Metrics and the deletion log line once the entry is written: a fallback write after a failed one counts once.
  return next.then(() => observeAudit(clean));
}

/** The `error` field of an entry, from anything thrown. */
export function auditError(error: unknown): { code: string; message: string } {
  if (error instanceof RegistryError) return { code: error.code, message: error.message };
  return { code: 'UNKNOWN', message: 'internal error' };
}
