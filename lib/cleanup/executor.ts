/**
 * Executes a cleanup: plans again from the live registry (so a run never acts on stale data), keeps only the
 * deletions the user confirmed (`expect`, when given), then deletes tag by tag, in plan order, one at a time:
 *
 * - Before each deletion the tag is resolved again; it is deleted only if it still points at the planned
 *   digest (otherwise `skipped`), and a tag already gone is `skipped` too — also when it goes between that
 *   check and the delete (MANIFEST_UNKNOWN from the delete). A second run therefore plans and deletes nothing.
 * - Deletion goes through the caller's `deleteTag` (the server's audited, tag-only deletion), so every
 *   attempt is in the audit log.
 * - The first failure stops the run: that item is `failed`, every later one `skipped`, nothing else is
 *   touched. Registry down, auth lost, storage read-only: the report says where it stopped and why.
 * - Layout sources only, after a run without failure: the manifests it left without tags are deleted by
 *   digest so that their blobs are freed at once (see ./collect.ts).
 */
import type { SourceKind } from '@/lib/api/types';
import { isRegistryError, type RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import type { CallOptions, TagDeleteMethod } from '@/lib/registry/registry';
import { buildPlan, type PlanContext } from './build-plan';
import { collectUntagged, type DeleteManifest } from './collect';
import { failureOf } from './failure';
import { gcAdvice } from './gc';
import { plannedKey, type CleanupRequest } from './request';
import type { CleanupEvent, CleanupPlan, CleanupResult, ExecutionItem } from './types';

/** Removes one tag and nothing else, audited; `expectedDigest` is the digest the tag must still point at. */
export type DeleteTag = (
  repository: string,
  tag: string,
  options: CallOptions & { expectedDigest: Digest },
) => Promise<{ method: TagDeleteMethod; digest: Digest }>;

export interface ExecuteContext extends PlanContext {
  /** Source kind: layout sources get their untagged manifests collected; every kind gets GC advice. */
  kind: SourceKind;
  deleteTag: DeleteTag;
  /** Audited delete by digest, for collecting layout sources (without it nothing is collected). */
  deleteManifest?: DeleteManifest;
  /** Receives the plan, every item as it is done, and the result (the API streams them as NDJSON). */
  onEvent?: (event: CleanupEvent) => void | Promise<void>;
  /** Turns unexpected errors (network, bugs) into RegistryErrors; without it they become `UNKNOWN`. */
  mapError?: (error: unknown) => RegistryError;
}

/** The deletions to attempt, and the items already decided (skipped because not confirmed or no longer planned). */
function selectDeletions(plan: CleanupPlan, expect: CleanupRequest['expect']): { todo: ExecutionItem[]; decided: ExecutionItem[] } {
  const base = (d: { repository: string; tag: string; digest: Digest }) => ({ repository: d.repository, tag: d.tag, digest: d.digest });
  if (!expect) return { todo: plan.delete.map((d) => ({ ...base(d), status: 'skipped' })), decided: [] };
  const confirmed = new Set(expect.map(plannedKey));
  const planned = new Set(plan.delete.map((d) => plannedKey(d)));
  const todo: ExecutionItem[] = [];
  const decided: ExecutionItem[] = [];
  for (const d of plan.delete) {
    if (confirmed.has(plannedKey(d))) todo.push({ ...base(d), status: 'skipped' });
    else decided.push({ ...base(d), status: 'skipped', reason: 'not in the confirmed preview (the registry changed since); run the preview again' });
  }
  for (const e of expect) {
    if (!planned.has(plannedKey(e))) {
      decided.push({ ...base(e), status: 'skipped', reason: 'no longer planned: the tag changed or is gone since the preview' });
    }
  }
  return { todo, decided };
}

/** Plans `request.policy` afresh and applies it (see the file comment). Never throws for a registry failure. */
export async function executeCleanup(context: ExecuteContext, request: CleanupRequest): Promise<CleanupResult> {
  const { registry, signal } = context;
  const emit = async (event: CleanupEvent) => {
    await context.onEvent?.(event);
  };
  const plan = await buildPlan(context, request.policy);
  await emit({ type: 'plan', plan });

  const { todo, decided } = selectDeletions(plan, request.expect);
  const total = todo.length + decided.length;
  const items: ExecutionItem[] = [];
  let index = 0;
  const record = async (item: ExecutionItem) => {
    items.push(item);
    await emit({ type: 'item', item, index: index++, total });
  };
  for (const item of decided) await record(item);

  let stopped = false;
  let stopReason = '';
  for (const planned of todo) {
    if (stopped) {
      await record({ ...planned, status: 'skipped', reason: `not attempted: stopped after a failure (${stopReason})` });
      continue;
    }
    try {
      signal?.throwIfAborted();
      let current: Digest;
      try {
        current = (await registry.resolveTag(planned.repository, planned.tag, { signal })).digest;
      } catch (error) {
        if (isRegistryError(error, 'MANIFEST_UNKNOWN') || isRegistryError(error, 'NAME_UNKNOWN')) {
          await record({ ...planned, status: 'skipped', reason: 'already gone' });
          continue;
        }
        throw error;
      }
      if (current !== planned.digest) {
        await record({ ...planned, status: 'skipped', reason: `now points at ${current}, not the planned digest: left alone` });
        continue;
      }
      let result;
      try {
        result = await context.deleteTag(planned.repository, planned.tag, { signal, expectedDigest: planned.digest });
      } catch (error) {
        // Deleted by someone else between the check and the delete (another cleanup, a delete from the UI).
        if (!isRegistryError(error, 'MANIFEST_UNKNOWN')) throw error;
        await record({ ...planned, status: 'skipped', reason: 'already gone (deleted meanwhile)' });
        continue;
      }
      await record({ ...planned, status: 'deleted', method: result.method });
    } catch (error) {
      const wire = failureOf(error, signal, context.mapError);
      stopped = true;
      stopReason = `${planned.repository}:${planned.tag}: ${wire.message}`;
      await record({ ...planned, status: 'failed', reason: wire.message, error: wire });
    }
  }

  const gone = new Set(items.filter((i) => i.status === 'deleted').map((i) => `${i.repository}\u0000${i.tag}`));
  const untagged = plan.untagged.filter((u) => u.tags.every((tag) => gone.has(`${u.repository}\u0000${tag}`)));
  const collected =
    context.kind === 'layout' && context.deleteManifest && !stopped && untagged.length > 0
      ? await collectUntagged(
          {
            registry,
            deleteManifest: context.deleteManifest,
            ...(context.concurrency ? { concurrency: context.concurrency } : {}),
            ...(signal ? { signal } : {}),
            ...(context.mapError ? { mapError: context.mapError } : {}),
            onCollected: (item) => emit({ type: 'collect', item }),
          },
          untagged,
        )
      : [];

  const count = (status: ExecutionItem['status']) => items.filter((i) => i.status === status).length;
  const failed = count('failed') + collected.filter((c) => c.status === 'failed').length;
  const result: CleanupResult = {
    plan,
    items,
    deleted: count('deleted'),
    skipped: count('skipped'),
    failed,
    stopped: stopped || collected.some((c) => c.status === 'failed'),
    ok: failed === 0 && plan.errors.length === 0,
    untagged,
    collected,
    gc: gcAdvice(context.kind, untagged.length, collected),
  };
  await emit({ type: 'result', result });
  return result;
}
