/**
 * Carrying out a copy plan: blobs first (skipped when the destination has them, mounted within one registry,
 * otherwise streamed — never held whole in memory by this code), then manifests in plan order (children before
 * their index, subjects before referrers; skipped when present), then the tag. Every step checks the
 * destination first, so a copy interrupted half-way is finished by running it again, and nothing that arrived
 * is sent twice.
 */
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { mapConcurrent } from '@/lib/registry/iter';
import type { CallOptions } from '@/lib/registry/registry';
import type { CopyAction, CopyEvent, CopyOptions, CopyPlan, CopyResult, CopySource, CopyTarget } from './types';

const DEFAULT_CONCURRENCY = 4;
/** A progress event at least every this many bytes of a blob being sent. */
const PROGRESS_STEP = 1024 * 1024;

async function exists(check: () => Promise<unknown>, unknown: readonly string[]): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (error) {
    if (unknown.some((code) => isRegistryError(error, code as never))) return false;
    throw error;
  }
}

/** Counts bytes flowing through a stream. */
function counted(body: ReadableStream<Uint8Array>, onBytes: (n: number) => void): ReadableStream<Uint8Array> {
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        onBytes(chunk.byteLength);
        controller.enqueue(chunk);
      },
    }),
  );
}

/** Refuses a plan whose index bytes would name manifests the destination lacks (a platform subset). */
async function checkRequired(plan: CopyPlan, to: CopyTarget, call: CallOptions): Promise<void> {
  const required = [...new Set(plan.manifests.flatMap((m) => m.required))];
  const missing: Digest[] = [];
  for (const digest of required) {
    if (!(await exists(() => to.registry.resolveManifest(to.repo, digest, call), ['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']))) missing.push(digest);
  }
  if (missing.length > 0) {
    throw new RegistryError(
      'UNSUPPORTED',
      `cannot copy only some platforms: the index is copied byte for byte and would name ${missing.length} manifest(s) the destination does not have; copy every platform instead`,
      { status: 409, detail: { missing } },
    );
  }
}

/** Carries out `plan` from `from` to `to`. Throws what the registries throw; what was done stays done. */
export async function executeCopy(plan: CopyPlan, from: CopySource, to: CopyTarget, options: CopyOptions = {}): Promise<CopyResult> {
  const signal = options.signal;
  const call: CallOptions = signal ? { signal } : {};
  const emit = (event: CopyEvent) => options.onEvent?.(event);
  const same = options.sameRegistry ?? from.registry === to.registry;
  const itemsTotal = plan.blobs.length + plan.manifests.length;
  let itemsDone = 0;
  let bytesDone = 0;
  let bytesSent = 0;
  const progress = () => emit({ type: 'progress', bytesDone, bytesTotal: plan.bytes, itemsDone, itemsTotal });

  await checkRequired(plan, to, call);
  emit({ type: 'plan', manifests: plan.manifests.length, blobs: plan.blobs.length, bytes: plan.bytes });

  const counts = { sent: 0, skipped: 0, mounted: 0 };
  const copyBlob = async (descriptor: Descriptor, inner: AbortSignal): Promise<void> => {
    const innerCall = { signal: inner };
    let action: CopyAction;
    if (await exists(() => to.registry.resolveBlob(to.repo, descriptor.digest, innerCall), ['BLOB_UNKNOWN', 'NAME_UNKNOWN'])) {
      action = 'skipped';
    } else if (same && from.repo !== to.repo && (await mounted(descriptor, inner))) {
      action = 'mounted';
    } else {
      const blob = await from.registry.getBlob(from.repo, descriptor.digest, innerCall);
      let reported = 0;
      let sentHere = 0;
      const body = counted(blob.body, (n) => {
        sentHere += n;
        bytesDone += n;
        bytesSent += n;
        if (sentHere - reported >= PROGRESS_STEP) {
          reported = sentHere;
          progress();
        }
      });
      await to.registry.pushBlob(to.repo, { ...descriptor, size: blob.descriptor.size }, body, innerCall);
      action = 'sent';
      bytesDone -= sentHere; // counted once below, with the whole blob
    }
    counts[action] += 1;
    itemsDone += 1;
    bytesDone += Math.max(0, descriptor.size);
    emit({ type: 'blob', digest: descriptor.digest, size: descriptor.size, action });
    progress();
  };
  const mounted = async (descriptor: Descriptor, inner: AbortSignal): Promise<boolean> => {
    try {
      await to.registry.mountBlob(from.repo, to.repo, descriptor.digest, { signal: inner });
      return true;
    } catch (error) {
      // Mounting is an optimisation: any refusal falls back to sending the blob (the spec allows a registry to
      // answer a mount with an upload session, and some refuse mounts across namespaces).
      if (inner.aborted) throw error;
      return false;
    }
  };
  await mapConcurrent(plan.blobs, options.concurrency ?? DEFAULT_CONCURRENCY, (descriptor, _i, inner) => copyBlob(descriptor, inner), signal);

  const manifests: CopyResult['manifests'] = [];
  for (const m of plan.manifests) {
    const { digest, mediaType } = m.descriptor;
    const present = await exists(() => to.registry.resolveManifest(to.repo, digest, call), ['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);
    if (!present) await to.registry.pushManifest(to.repo, m.bytes, mediaType, call);
    const action = present ? 'skipped' : 'sent';
    manifests.push({ digest, mediaType, role: m.role, action });
    itemsDone += 1;
    bytesDone += m.bytes.byteLength;
    emit({ type: 'manifest', digest, mediaType, action, role: m.role });
    progress();
  }

  const root = plan.manifests.find((m) => m.descriptor.digest === plan.root.digest)!;
  if (to.tag !== undefined) {
    await to.registry.pushManifest(to.repo, root.bytes, root.descriptor.mediaType, { ...call, tag: to.tag });
    emit({ type: 'tag', tag: to.tag, digest: plan.root.digest });
  }
  return {
    digest: plan.root.digest,
    mediaType: plan.root.mediaType,
    ...(to.tag !== undefined ? { tag: to.tag } : {}),
    manifests,
    referrers: plan.manifests.filter((m) => m.role === 'referrer').map((m) => m.descriptor.digest),
    blobs: counts,
    bytesSent,
  };
}
