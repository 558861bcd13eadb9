/**
 * Writes of the layout registry. Blobs are streamed to a temp file in `blobs/<alg>/`, verified, then renamed
 * into place. A manifest push checks its references under the repository mutex, stores the bytes as a blob
 * and updates index.json: a tag push re-points (or adds) the ref.name entry, a digest push adds an untagged
 * entry unless the manifest is already reachable, and an index push drops the untagged entries of its
 * children (they now live through it) except referrers, which GC would not find through `subject`.
 */
import 'server-only';
import { copyFile, link, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RegistryError, isRegistryError } from '@/lib/oci/errors';
import { Annotation } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import { consumeVerified } from '@/lib/registry/local/content';
import { inspectPushedManifest, requiredBlobs } from '@/lib/registry/local/manifest-info';
import { blobUnknownToSource, checkAborted, checkBlobPush, checkMount, checkTag, manifestContentMissing } from '@/lib/registry/local/validate';
import type { RegistryWriter } from '@/lib/registry/registry';
import { keepReachable } from './entries';
import { fileSize, storageError, tempName, writeAtomic, writeFileAtomic } from './files';
import { isUntagged, tagOfEntry } from './index-file';
import { blobPath, checkLayoutName } from './paths';
import type { LayoutStore } from './store';

const BLOB_MEDIA_TYPE = 'application/octet-stream';

/** Digests among `descriptors` that have no blob file (a malformed digest counts as missing). */
async function missingBlobs(dir: string, descriptors: readonly Descriptor[]): Promise<string[]> {
  const missing: string[] = [];
  for (const descriptor of descriptors) {
    let path: string;
    try {
      path = blobPath(dir, descriptor.digest);
    } catch (error) {
      if (isRegistryError(error, 'DIGEST_INVALID')) {
        throw new RegistryError('MANIFEST_INVALID', 'manifest refers to an invalid digest', { detail: { digest: descriptor.digest } });
      }
      throw error;
    }
    if ((await fileSize(path)) === undefined) missing.push(descriptor.digest);
  }
  return missing;
}

export function createWriter(store: LayoutStore): RegistryWriter {
  return {
    async pushBlob(repo, descriptor, body, options) {
      const size = checkBlobPush(checkLayoutName, repo, descriptor, options);
      const dir = await store.openForWrite(repo);
      const expected = { digest: descriptor.digest, size };
      try {
        await writeAtomic(blobPath(dir, descriptor.digest), async (handle) => {
          await consumeVerified(
            body,
            expected,
            async (chunk) => {
              for (let offset = 0; offset < chunk.byteLength; ) {
                offset += (await handle.write(chunk, offset, chunk.byteLength - offset)).bytesWritten;
              }
            },
            options,
          );
        });
      } catch (error) {
        storageError(error);
      }
      return { mediaType: descriptor.mediaType, digest: descriptor.digest, size };
    },

    async mountBlob(fromRepo, repo, digest, options) {
      checkMount(checkLayoutName, fromRepo, repo, digest, options);
      const unknown = () => blobUnknownToSource(digest);
      const fromDir = await store.open(fromRepo).catch((error: unknown) => {
        throw isRegistryError(error, 'NAME_UNKNOWN') ? unknown() : error;
      });
      const source = blobPath(fromDir, digest);
      const size = await fileSize(source).catch(storageError);
      if (size === undefined) throw unknown();
      const dir = await store.openForWrite(repo);
      const target = blobPath(dir, digest);
      try {
        if (target !== source && (await fileSize(target)) === undefined) {
          await mkdir(dirname(target), { recursive: true });
          const temp = tempName(dirname(target));
          // Blobs are never modified in place, so a hard link is as good as a copy (and free); copy across devices.
          await link(source, temp).catch(() => copyFile(source, temp));
          await rename(temp, target).catch(async (error: unknown) => {
            await rm(temp, { force: true });
            throw error;
          });
        }
      } catch (error) {
        storageError(error);
      }
      return { mediaType: BLOB_MEDIA_TYPE, digest, size };
    },

    async pushManifest(repo, bytes, mediaType, options) {
      checkLayoutName(repo);
      const tag = options?.tag === undefined ? undefined : checkTag(options.tag);
      checkAborted(options);
      const info = inspectPushedManifest(bytes, mediaType);
      const { digest } = info.descriptor;
      const plain: Descriptor = { mediaType: info.descriptor.mediaType, digest, size: info.descriptor.size };
      const dir = await store.openForWrite(repo);
      return store.mutex.run(dir, async () => {
        try {
          const missing = await missingBlobs(dir, [...requiredBlobs(info.references), ...info.references.manifests]);
          if (missing.length > 0) throw manifestContentMissing(missing);
          // Always (re)written: cheap for manifests, and it repairs a corrupt copy of the same size.
          await writeFileAtomic(blobPath(dir, digest), bytes);
          store.forget(dir, [digest]);

          const snapshot = await store.snapshot(dir, repo);
          const current = snapshot.document.manifests;
          let next: Descriptor[];
          if (tag !== undefined) {
            const replaced = current.filter((entry) => tagOfEntry(entry)?.tag === tag);
            const unchanged =
              replaced.length === 1 &&
              replaced[0]!.digest === digest &&
              replaced[0]!.annotations?.[Annotation.RefName] === tag &&
              !current.some((entry) => entry.digest === digest && isUntagged(entry));
            if (unchanged) return plain;
            const tagged: Descriptor = { ...plain, annotations: { [Annotation.RefName]: tag } };
            // The new entry takes the place of the old one, so index.json stays in a stable order.
            const position = replaced.length > 0 ? current.indexOf(replaced[0]!) : current.length;
            next = [];
            current.forEach((entry, i) => {
              if (i === position) next.push(tagged);
              if (replaced.includes(entry) || (entry.digest === digest && isUntagged(entry))) return;
              next.push(entry);
            });
            if (position === current.length) next.push(tagged);
            next = await keepReachable(store, dir, next, replaced.filter((entry) => entry.digest !== digest));
          } else {
            const graph = await store.graph(dir, snapshot);
            next = graph.manifests.has(digest) ? [...current] : [...current, plain];
          }
          if (info.references.manifests.length > 0) next = await dropChildEntries(store, dir, next, info.references.manifests, digest);
          if (next.length !== current.length || next.some((entry, i) => entry !== current[i])) {
            await store.indexes.save(dir, { ...snapshot.document, manifests: next });
          }
          return plain;
        } catch (error) {
          return storageError(error);
        }
      });
    },
  };
}

/** Drops untagged entries of `children` (except referrers): they are reachable through their parent. */
async function dropChildEntries(
  store: LayoutStore,
  dir: string,
  entries: Descriptor[],
  children: readonly Descriptor[],
  parent: string,
): Promise<Descriptor[]> {
  const childDigests = new Set(children.map((child) => child.digest));
  const kept: Descriptor[] = [];
  for (const entry of entries) {
    if (isUntagged(entry) && entry.digest !== parent && childDigests.has(entry.digest)) {
      const record = await store.manifest(dir, entry.digest);
      if (record.state === 'ok' && !record.info.referrer) continue;
    }
    kept.push(entry);
  }
  return kept;
}
