/**
 * Deletes of the layout registry, all under the repository mutex.
 *
 * - deleteTag removes that tag's index.json entries only; when nothing else keeps the manifest reachable it
 *   stays as an untagged entry, so deleting a tag never deletes a manifest (as on registries).
 * - deleteManifest removes every entry of the manifest (reporting their tags), with `cascadeReferrers`
 *   every manifest whose subject is deleted (recursively), drops the deleted manifests from their subject's
 *   referrers fallback index (removing the fallback tag when the index empties), removes the manifest
 *   blobs (even when another index still lists them as children: the registry semantics), then runs GC.
 * - deleteBlob removes the blob file.
 */
import 'server-only';
import { rm } from 'node:fs/promises';
import { RegistryError } from '@/lib/oci/errors';
import { referrersFallbackTag } from '@/lib/oci/manifest';
import { INDEX_MEDIA_TYPES } from '@/lib/oci/media-types';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { hashBytes } from '@/lib/registry/hash';
import { compareBytes } from '@/lib/registry/local/paging';
import { checkTarget } from '@/lib/registry/local/validate';
import type { RegistryDeleter } from '@/lib/registry/registry';
import { keepReachable } from './entries';
import { fileSize, isErrno, storageError, writeFileAtomic } from './files';
import { collectGarbage, contentOf } from './gc';
import { tagOfEntry } from './index-file';
import { blobPath, checkLayoutName } from './paths';
import type { LayoutGraph, LayoutStore } from './store';

/** `digest`, then with `cascade` every reachable manifest whose subject is already listed, breadth first. */
function deletionOrder(graph: LayoutGraph, digest: Digest, cascade: boolean): Digest[] {
  const order = [digest];
  for (let i = 0; cascade && i < order.length; i++) {
    const subject = order[i];
    const referrers: Digest[] = [];
    for (const [candidate, { record }] of graph.manifests) {
      if (record.state === 'ok' && record.info.referrer?.subject === subject && !order.includes(candidate)) referrers.push(candidate);
    }
    order.push(...referrers.sort(compareBytes));
  }
  return order;
}

/**
 * Removes `deleted` from the fallback indexes of their subjects. Returns the new entry list and the digests
 * of fallback indexes that were replaced (garbage now).
 */
async function pruneFallbackIndexes(
  store: LayoutStore,
  dir: string,
  entries: Descriptor[],
  deleted: ReadonlySet<Digest>,
  subjects: ReadonlySet<Digest>,
): Promise<{ entries: Descriptor[]; replaced: Digest[] }> {
  let next = entries;
  const replaced: Digest[] = [];
  for (const subject of subjects) {
    const tag = referrersFallbackTag(subject);
    const entry = next.find((candidate) => tagOfEntry(candidate)?.tag === tag);
    if (!entry || deleted.has(entry.digest) || !INDEX_MEDIA_TYPES.includes(entry.mediaType)) continue;
    const record = await store.manifest(dir, entry.digest);
    if (record.state !== 'ok' || !Array.isArray(record.json.manifests)) continue;
    const listed = record.json.manifests as Descriptor[];
    const remaining = listed.filter((d) => !deleted.has(d.digest));
    if (remaining.length === listed.length) continue;
    replaced.push(entry.digest);
    if (remaining.length === 0) {
      next = next.filter((candidate) => candidate !== entry);
      continue;
    }
    const bytes = new TextEncoder().encode(JSON.stringify({ ...record.json, manifests: remaining }));
    const digest = hashBytes(bytes);
    await writeFileAtomic(blobPath(dir, digest), bytes);
    next = next.map((candidate) => (candidate === entry ? { ...entry, digest, size: bytes.byteLength } : candidate));
  }
  return { entries: next, replaced };
}

/**
 * Runs `work` on the repository's directory under its mutex (deletes read, change and save index.json), turning
 * file-system failures into registry errors.
 */
async function changeRepository<T>(store: LayoutStore, repo: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await store.open(repo);
  return store.mutex.run(dir, async () => {
    try {
      return await work(dir);
    } catch (error) {
      return storageError(error);
    }
  });
}

export function createDeleter(store: LayoutStore): RegistryDeleter {
  return {
    async deleteTag(repo, tag, options) {
      checkTarget(checkLayoutName, repo, { tag }, options);
      return changeRepository(store, repo, async (dir) => {
        const snapshot = await store.snapshot(dir, repo);
        const current = snapshot.document.manifests;
        const removed = current.filter((entry) => tagOfEntry(entry)?.tag === tag);
        const target = snapshot.tags.get(tag);
        if (!target || removed.length === 0) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { detail: { tag } });
        const next = await keepReachable(store, dir, current.filter((entry) => !removed.includes(entry)), removed);
        await store.indexes.save(dir, { ...snapshot.document, manifests: next });
        return { method: 'native' as const, digest: target.digest };
      });
    },

    async deleteManifest(repo, digest, options) {
      checkTarget(checkLayoutName, repo, { digest }, options);
      return changeRepository(store, repo, async (dir) => {
        const snapshot = await store.snapshot(dir, repo);
        const descriptor = await store.manifestDescriptor(dir, snapshot, digest);
        const graph = await store.graph(dir, snapshot);
        const deleted = deletionOrder(graph, digest, options?.cascadeReferrers === true);
        const deletedSet = new Set(deleted);
        const records = await Promise.all(deleted.map((d) => store.manifest(dir, d)));
        const subjects = new Set<Digest>();
        for (const record of records) if (record.state === 'ok' && record.info.referrer) subjects.add(record.info.referrer.subject);

        const candidates = await contentOf(store, dir, [
          descriptor,
          ...deleted.slice(1).map((d) => graph.manifests.get(d)?.descriptor ?? { mediaType: '', digest: d, size: 0 }),
        ]);
        const tags: string[] = [];
        for (const target of deleted) {
          const own = snapshot.document.manifests.filter((entry) => entry.digest === target);
          tags.push(...own.map((entry) => tagOfEntry(entry)?.tag).filter((t): t is string => !!t).sort(compareBytes));
        }
        const kept = snapshot.document.manifests.filter((entry) => !deletedSet.has(entry.digest));
        const pruned = await pruneFallbackIndexes(store, dir, kept, deletedSet, subjects);
        for (const replaced of pruned.replaced) candidates.add(replaced);
        await store.indexes.save(dir, { ...snapshot.document, manifests: pruned.entries });
        for (const target of deleted) await rm(blobPath(dir, target), { force: true });
        store.forget(dir, deleted);
        if (store.gc) await collectGarbage(store, dir, pruned.entries, candidates);
        return { deleted, tags: [...new Set(tags)] };
      });
    },

    async deleteBlob(repo, digest, options) {
      checkTarget(checkLayoutName, repo, { digest }, options);
      const unknown = () => new RegistryError('BLOB_UNKNOWN', 'blob unknown', { detail: { digest } });
      let dir: string;
      try {
        dir = await store.open(repo);
      } catch (error) {
        if (error instanceof RegistryError && error.code === 'NAME_UNKNOWN') throw unknown();
        throw error;
      }
      await store.mutex.run(dir, async () => {
        const path = blobPath(dir, digest);
        try {
          if ((await fileSize(path)) === undefined) throw unknown();
          await rm(path);
        } catch (error) {
          if (isErrno(error, 'ENOENT')) throw unknown();
          storageError(error);
        }
        store.forget(dir, [digest]);
        // Parsed graphs may still hold the removed manifest (a blob delete can remove one).
        store.indexes.invalidate(dir);
      });
    },
  };
}
