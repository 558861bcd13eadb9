/**
 * The audit log: one JSON object per line for every delete attempt and its outcome (time, user, source,
 * repository, tag/digest, method, result). Written to the configured `auditLog` file (appended, one write per
 * entry, in order), or to stdout when none is configured. Never contains credentials: entries hold names,
 * digests and error codes only, and pass through the same redaction as responses.
 */
import 'server-only';
import { appendFile, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RegistryError } from '@/lib/oci/errors';
import { redact } from './respond';

export type AuditAction =
  | 'delete-tag'
  | 'delete-manifest'
  // Changes through the /v2 registry server.
  | 'push-manifest'
  | 'push-blob'
  | 'mount-blob'
  | 'delete-blob';

export interface AuditEntry {
  /** RFC 3339 time the outcome was known. */
  time: string;
  action: AuditAction;
  user: string;
  source: string;
  repository: string;
  tag?: string;
  digest?: string;
  cascade?: boolean;
  /** Blob mounts: the repository (`<source>/<repo>`) the blob came from. */
  from?: string;
  /** How a tag was removed (`native` / `placeholder`). */
  method?: string;
  result: 'ok' | 'denied' | 'error';
  /** Manifests deleted (manifest deletes). */
  deleted?: string[];
  /** Tags removed with them (manifest deletes). */
  tags?: string[];
  /** Tags still on the digest after a tag delete. */
  remainingTags?: string[];
  error?: { code: string; message: string };
}

let writeChain: Promise<void> = Promise.resolve();

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

/** Appends an entry (serialised with every other entry of this process). Rejects when the file write fails. */
export function writeAudit(path: string | undefined, entry: AuditEntry): Promise<void> {
  const line = redact(JSON.stringify(entry)) + '\n';
  const next = writeChain.then(async () => {
    if (!path) {
      process.stdout.write(`[porthole audit] ${line}`);
      return;
    }
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, line, { encoding: 'utf8', mode: 0o600 });
  });
  // Keep the chain alive after a failed write; the caller still sees the failure.
  writeChain = next.catch(() => undefined);
  return next;
}

/** The `error` field of an entry, from anything thrown. */
export function auditError(error: unknown): { code: string; message: string } {
  if (error instanceof RegistryError) return { code: error.code, message: error.message };
  return { code: 'UNKNOWN', message: 'internal error' };
}
