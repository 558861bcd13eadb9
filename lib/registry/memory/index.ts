/**
 * In-memory registry: the reference implementation of the Registry contract, used by unit tests, the demo
 * and as a scratch target. Shaped after cue-labs' ocimem, with distribution's delete semantics:
 *
 * - Repositories are created by the first blob push, manifest push or mount, and never removed.
 * - Blobs and manifests are stored per repository; a manifest push needs its config, layers and child
 *   manifests in the same repository (MANIFEST_BLOB_UNKNOWN), a dangling `subject` is accepted.
 * - Tags are listed in byte order. Deleting a tag removes only it; deleting a manifest removes it and all its
 *   tags (reported), and with `cascadeReferrers` every manifest whose subject is deleted, recursively.
 * - Referrers are computed from `subject` (a native referrers API): `artifactType` is the manifest's, else
 *   the config media type of an image manifest; annotations are copied. No fallback tags are written.
 *
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md
 */
import 'server-only';
import type { Registry } from '@/lib/registry/registry';
import { assembleLocalRegistry } from '@/lib/registry/local/assemble';
import { createDeleter } from './deleter';
import { createLister } from './lister';
import { createReader } from './reader';
import { MemoryStore } from './store';
import { createWriter } from './writer';

/** Creates an empty in-memory registry. */
export function createMemoryRegistry(): Registry {
  const store = new MemoryStore();
  return assembleLocalRegistry(store, { createReader, createLister, createWriter, createDeleter }, async () => {
    // Nothing to release: no sockets, files or timers.
  });
}
