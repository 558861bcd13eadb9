/**
 * Lists of the layout registry. Repositories are the directories under the root that hold an `oci-layout`
 * file (found by walking the tree, never into `blobs/`, following symlinks only while they stay inside the
 * root); tags come from index.json; referrers are every reachable manifest whose `subject` matches, merged
 * with the entries of the subject's referrers fallback tag (for layouts written by tools that keep only the
 * fallback index).
 */
import 'server-only';
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { INDEX_MEDIA_TYPES } from '@/lib/oci/media-types';
import { referrersFallbackTag } from '@/lib/oci/manifest';
import { isValidRepository } from '@/lib/oci/reference';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { afterCursor, compareBytes, sortUnique } from '@/lib/registry/local/paging';
import { checkAborted, checkDigest } from '@/lib/registry/local/validate';
import type { CallOptions, RegistryLister } from '@/lib/registry/registry';
import { fileSize, isErrno, storageError } from './files';
import { LAYOUT_FILE, RESERVED_COMPONENTS, blobPath, checkLayoutName, isInside } from './paths';
import type { LayoutStore } from './store';

/** Every repository name under the root, unsorted. */
async function findRepositories(root: string, rootReal: string, options?: CallOptions): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, parts: string[], ancestors: Set<string>): Promise<void> => {
    checkAborted(options);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR', 'EACCES')) return;
      throw error;
    }
    if (parts.length > 0 && entries.some((e) => e.name === LAYOUT_FILE && (e.isFile() || e.isSymbolicLink()))) {
      found.push(parts.join('/'));
    }
    for (const entry of entries) {
      // A component that is not valid grammar (or a dot file, or a layout's own folder) cannot start a repository.
      if (RESERVED_COMPONENTS.has(entry.name) || !isValidRepository(entry.name)) continue;
      const path = join(dir, entry.name);
      let real: string;
      if (entry.isDirectory()) {
        real = path;
      } else if (entry.isSymbolicLink()) {
        try {
          real = await realpath(path);
          if (!(await stat(real)).isDirectory()) continue;
        } catch {
          continue;
        }
        // Symlinks that leave the root, or loop back to a directory being walked, are skipped.
        if (!isInside(rootReal, real) || ancestors.has(real)) continue;
      } else {
        continue;
      }
      await visit(path, [...parts, entry.name], new Set(ancestors).add(real));
    }
  };
  await visit(root, [], new Set([rootReal]));
  return found;
}

async function blobExists(dir: string, digest: Digest): Promise<boolean> {
  try {
    return (await fileSize(blobPath(dir, digest))) !== undefined;
  } catch {
    return false;
  }
}

export function createLister(store: LayoutStore): RegistryLister {
  return {
    async *listRepositories(options) {
      checkAborted(options);
      const rootReal = await store.paths.realRoot();
      if (!rootReal) return;
      const names = await findRepositories(store.paths.root, rootReal, options).catch(storageError);
      // Byte order, like the memory backend (distribution uses path-component order instead).
      for (const name of afterCursor(sortUnique(names), options?.startAfter)) yield name;
    },

    async *listTags(repo, options) {
      checkLayoutName(repo);
      checkAborted(options);
      const dir = await store.open(repo);
      const snapshot = await store.snapshot(dir, repo);
      for (const tag of afterCursor(sortUnique(snapshot.tags.keys()), options?.startAfter)) yield tag;
    },

    async *listReferrers(repo, digest, options) {
      checkLayoutName(repo);
      checkDigest(digest);
      checkAborted(options);
      const dir = await store.open(repo);
      const snapshot = await store.snapshot(dir, repo);
      const graph = await store.graph(dir, snapshot);
      const found = new Map<Digest, Descriptor>();
      for (const { record } of graph.manifests.values()) {
        if (record.state === 'ok' && record.info.referrer?.subject === digest) {
          found.set(record.info.descriptor.digest, structuredClone(record.info.referrer.descriptor));
        }
      }
      // Referrers only listed in the fallback index (the tag schema) count too, when their manifest exists.
      const fallback = snapshot.tags.get(referrersFallbackTag(digest));
      const record = fallback && graph.manifests.get(fallback.digest)?.record;
      if (record?.state === 'ok' && INDEX_MEDIA_TYPES.includes(record.info.descriptor.mediaType)) {
        const listed = Array.isArray(record.json.manifests) ? (record.json.manifests as Descriptor[]) : [];
        for (const entry of listed) {
          if (typeof entry?.digest !== 'string' || found.has(entry.digest)) continue;
          if (!(await blobExists(dir, entry.digest))) continue;
          found.set(entry.digest, structuredClone(entry));
        }
      }
      const wanted = [...found.values()]
        .filter((d) => options?.artifactType === undefined || d.artifactType === options.artifactType)
        .sort((a, b) => compareBytes(a.digest, b.digest));
      yield* wanted;
    },
  };
}
