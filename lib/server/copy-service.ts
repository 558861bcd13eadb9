/**
 * Copying between configured sources (`POST /api/copy`, `npm run copy`; docs/copy.md): checks the request —
 * references, destination allowed to write, same-origin and app-auth rules of deletes — before any registry
 * request, then runs `copyManifest` and records the attempt in the audit log (action `copy`).
 *
 * No repository lock is taken in a process: a copy only adds content and moves its one destination tag (see
 * lib/registry/copy/index.ts). With `cache.redis`, a copy to a destination another replica is copying to is
 * refused (409 DENIED `already-running`, lib/server/redis/replica-hold.ts).
 */
import 'server-only';
import type { CopyRequest } from '@/lib/api/types';
import { RegistryError } from '@/lib/oci/errors';
import { copyManifest, type CopyEvent, type CopyResult } from '@/lib/registry/copy';
import type { NamespaceTarget } from '@/lib/registry/namespace';
import { ensureAuditLogWritable, type AuditEntry } from './audit';
import { recordAudit, recordFailure } from './audit-record';
import { refusalUser } from './audit-refusal';
import { getNamespace } from './namespace';
import { holdAcrossReplicas, type ReplicaHold } from './redis/replica-hold';
import { readAll } from '@/lib/registry/read-all';
import { checkSameOrigin, requireDeleteUser } from './safety';
import { getConfig, getSource, type Source } from './sources';
import { invalidateTags } from './tags-service';

/** Largest request body: two references and a few platforms. */
const MAX_BODY = 64 * 1024;
const MAX_PLATFORMS = 64;
const PLATFORM = /^[a-z0-9._-]+\/[a-z0-9._-]+(?:\/[a-z0-9._-]+)?$/i;
const FIELDS = new Set(['from', 'to', 'referrers', 'platforms']);

/** A checked copy, ready to run. */
export interface PreparedCopy {
  request: CopyRequest;
  from: NamespaceTarget & { source: Source };
  to: NamespaceTarget & { source: Source };
  user: string;
  /** The destination's hold across replicas, released by {@link runCopy}. */
  hold?: ReplicaHold;
}

function bad(field: string, message: string, code: 'UNSUPPORTED' | 'NAME_INVALID' = 'UNSUPPORTED'): RegistryError {
  return new RegistryError(code, `${field}: ${message}`, { status: 400, detail: { field } });
}

/** Checks the shape of a `POST /api/copy` body. Throws 400 naming the field. */
export function parseCopyRequest(body: unknown): CopyRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('', 'the body must be a JSON object {"from", "to", …}');
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) throw bad(unknown.slice(0, 64), `unknown field (allowed: ${[...FIELDS].join(', ')})`);
  for (const field of ['from', 'to'] as const) {
    if (typeof input[field] !== 'string' || input[field] === '') throw bad(field, 'is required: a reference such as SOURCE/REPO:TAG');
  }
  if (input.referrers !== undefined && typeof input.referrers !== 'boolean') throw bad('referrers', 'must be true or false');
  const platforms = input.platforms;
  if (platforms !== undefined) {
    if (!Array.isArray(platforms) || platforms.length === 0 || platforms.length > MAX_PLATFORMS) {
      throw bad('platforms', `must be a list of 1 to ${MAX_PLATFORMS} platforms such as "linux/amd64"`);
    }
    const wrong = platforms.find((p) => typeof p !== 'string' || !PLATFORM.test(p));
    if (wrong !== undefined) throw bad('platforms', `${JSON.stringify(wrong).slice(0, 64)} is not a platform such as "linux/amd64" or "linux/arm64/v8"`);
  }
  return {
    from: input.from as string,
    to: input.to as string,
    ...(input.referrers !== undefined ? { referrers: input.referrers as boolean } : {}),
    ...(platforms !== undefined ? { platforms: platforms as string[] } : {}),
  };
}

/** Reads the JSON body of a request (at most 64 KiB). Throws 400. */
export async function readCopyBody(request: Request): Promise<unknown> {
  if (!request.body) throw bad('', 'the body must be a JSON object {"from", "to", …}');
  const bytes = await readAll(request.body, MAX_BODY);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw bad('', 'the body is not valid JSON');
  }
}

/** Resolves one reference of the request against the configured sources; errors name the field. */
async function target(field: 'from' | 'to', reference: string): Promise<NamespaceTarget & { source: Source }> {
  const namespace = await getNamespace();
  let parsed: NamespaceTarget;
  try {
    parsed = namespace.parse(reference);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    throw new RegistryError(error.code, `${field}: ${error.message}`, { status: error.status, detail: { field, ...(error.detail as object | undefined) } });
  }
  if (field === 'from' && parsed.tag === undefined && parsed.digest === undefined) throw bad('from', 'needs a :TAG or an @DIGEST', 'NAME_INVALID');
  if (field === 'to' && parsed.digest !== undefined) throw bad('to', 'cannot name a digest (the copy keeps the digest); give SOURCE/REPO[:TAG]', 'NAME_INVALID');
  return { ...parsed, source: await getSource(parsed.entry.name) };
}

/**
 * Checks a copy before any registry request: the references, and that the destination source says
 * `write: true` (403 DENIED otherwise), and that the audit log can be written (503 UNAVAILABLE otherwise). `user`
 * is recorded in the audit log.
 */
export async function prepareCopy(body: CopyRequest, user: string): Promise<PreparedCopy> {
  const from = await target('from', body.from);
  const to = await target('to', body.to);
  if (!to.source.config.write) {
    throw new RegistryError('DENIED', `source "${to.source.name}" does not allow writing (it needs write: true)`, { detail: { source: to.source.name } });
  }
  // Like deletes: nothing is changed that could not be recorded.
  await ensureAuditLogWritable((await getConfig()).auditLog);
  // Last, so that nothing after it can fail with the hold taken.
  const destination = `${to.source.name}/${to.repo}${to.tag !== undefined ? `:${to.tag}` : `@${from.digest ?? from.tag ?? ''}`}`;
  const hold = await holdAcrossReplicas(`copy/${destination}`, `a copy to ${destination}`);
  return { request: body, from, to, user, hold };
}

function auditTarget(request: Partial<CopyRequest>, to?: PreparedCopy['to']): Omit<AuditEntry, 'time' | 'result' | 'user'> {
  const destination = to ? { source: to.source.name, repository: to.repo, ...(to.tag !== undefined ? { tag: to.tag } : {}) } : { source: '' };
  return {
    action: 'copy',
    ...destination,
    ...(typeof request.from === 'string' ? { from: request.from } : {}),
    ...(typeof request.to === 'string' ? { to: request.to } : {}),
  };
}

/**
 * `POST /api/copy` up to the start of the copy: the same-origin and app-auth rules of deletes, the body, then
 * {@link prepareCopy}. A refusal is recorded in the audit log (with the user the request authenticates as) and
 * thrown.
 */
export async function prepareCopyRequest(request: Request): Promise<PreparedCopy> {
  let body: unknown;
  try {
    const config = await getConfig();
    checkSameOrigin(request, config);
    const user = requireDeleteUser(request, config, 'copying');
    body = await readCopyBody(request);
    return await prepareCopy(parseCopyRequest(body), user);
  } catch (error) {
    const fields = body !== null && typeof body === 'object' ? (body as Partial<CopyRequest>) : {};
    await recordFailure({ ...auditTarget(fields, await destinationOf(fields.to)), user: await refusalUser(request) }, error, 'input');
    throw error;
  }
}

/** The destination of a refused copy for its audit entry, when `to` resolves (no registry request is made). */
async function destinationOf(to: unknown): Promise<PreparedCopy['to'] | undefined> {
  if (typeof to !== 'string') return undefined;
  try {
    const parsed = (await getNamespace()).parse(to);
    return { ...parsed, source: await getSource(parsed.entry.name) };
  } catch {
    return undefined;
  }
}

/** Runs a prepared copy and records its outcome. Throws what the copy throws (after recording it). */
export async function runCopy(prepared: PreparedCopy, options: { signal?: AbortSignal; onEvent?: (event: CopyEvent) => void } = {}): Promise<CopyResult> {
  try {
    return await copyAndRecord(prepared, options);
  } finally {
    // Even a failed copy may have made the destination repository or moved its tag: read them again.
    invalidateTags(prepared.to.source, prepared.to.repo);
    await prepared.hold?.release();
  }
}

async function copyAndRecord(prepared: PreparedCopy, options: { signal?: AbortSignal; onEvent?: (event: CopyEvent) => void }): Promise<CopyResult> {
  const { request, from, to, user } = prepared;
  const entry = { ...auditTarget(request, to), user };
  let result: CopyResult;
  try {
    result = await copyManifest(
      { registry: from.entry.registry, repo: from.repo, ...(from.tag !== undefined ? { tag: from.tag } : {}), ...(from.digest !== undefined ? { digest: from.digest } : {}) },
      { registry: to.entry.registry, repo: to.repo, ...(to.tag !== undefined ? { tag: to.tag } : {}) },
      {
        referrers: request.referrers ?? true,
        ...(request.platforms ? { platforms: request.platforms } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      },
    );
  } catch (error) {
    await recordFailure(entry, error, 'action');
    throw error;
  }
  await recordAudit({
    ...entry,
    digest: result.digest,
    result: 'ok',
    copied: {
      manifests: result.manifests.length,
      referrers: result.referrers.length,
      blobsSent: result.blobs.sent,
      blobsSkipped: result.blobs.skipped,
      blobsMounted: result.blobs.mounted,
      bytesSent: result.bytesSent,
    },
  });
  return result;
}
