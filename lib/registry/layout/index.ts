/**
 * Registry over a directory of OCI image layouts: `createLayoutRegistry(root)`.
 *
 * Mapping:
 * - Repository `team/app` is the directory `<root>/team/app/`, holding an OCI image layout (`oci-layout`,
 *   `index.json`, `blobs/<alg>/<encoded>`). A directory is a repository iff it contains `oci-layout`;
 *   repositories may nest (`team` and `team/app`). Names are checked against the distribution grammar before
 *   any path is built, the components `blobs`, `index.json` and `oci-layout` are refused (they would collide
 *   with a layout's own files), and a path whose real location (symlinks resolved) leaves the root is
 *   NAME_UNKNOWN for reads and NAME_INVALID for writes. The first push to a repository creates its layout.
 * - Tags are `org.opencontainers.image.ref.name` annotations of index.json entries; a ref.name that is not a
 *   tag but ends in `:<tag>` (a full image name) counts as that tag, as in regclient's ocidir.
 * - Untagged manifests: a manifest pushed by digest gets an index.json entry without ref.name, unless it is
 *   already reachable as a child of a listed index. Pushing an index drops the untagged entries of its
 *   children (they live through it), except for manifests with a `subject`. Removing or re-pointing a tag
 *   keeps the manifest as an untagged entry when nothing else reaches it: a tag delete never deletes a
 *   manifest, which stays readable by digest (as on registries). Same idea as ocidir's non-"child" pushes.
 * - Referrers: every manifest reachable from index.json whose `subject` matches (a native referrers API, so
 *   no fallback tags are written), merged with the entries of an existing `<alg>-<encoded>` fallback index.
 *   Referrers pushed by digest stay as untagged entries, because GC does not follow `subject`.
 * - deleteManifest removes all entries of the manifest (reporting their tags), updates its subject's
 *   fallback index if there is one, removes the manifest blob, then garbage-collects the repository
 *   (see ./gc.ts). deleteTag removes only the tag.
 *
 * Concurrency and safety: every index.json change runs under an in-process mutex per repository, and every
 * file (blobs, index.json) is written to a temp file in the same directory and renamed into place, so
 * readers only ever see complete files. Other processes writing the same layout are not coordinated with.
 * index.json is cached per repository and re-read when its mtime, size or inode changes.
 *
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/image-layout.md
 */
import 'server-only';
import { resolve } from 'node:path';
import type { Registry } from '@/lib/registry/registry';
import { assembleLocalRegistry } from '@/lib/registry/local/assemble';
import { createDeleter } from './deleter';
import { createLister } from './lister';
import { createReader } from './reader';
import { LayoutStore, type LayoutOptions } from './store';
import { createWriter } from './writer';

export type { LayoutOptions };

/** A registry whose repositories are OCI image layouts under `root` (created on the first write). */
export function createLayoutRegistry(root: string, options: LayoutOptions = {}): Registry {
  const store = new LayoutStore(resolve(root), options);
  return assembleLocalRegistry(store, { createReader, createLister, createWriter, createDeleter }, async () => {
    // No handles are held between calls; streams returned by getBlob close themselves.
  });
}
