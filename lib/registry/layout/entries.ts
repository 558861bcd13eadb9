/**
 * Edits of index.json entry lists shared by the writer and the deleter. Policy (documented in index.ts):
 * a manifest stays listed in index.json — tagged, or as an untagged entry without ref.name — unless it is
 * reachable as a child of another listed index. So removing or moving a tag never makes a manifest
 * unreachable by digest, and GC (which follows index children, configs and layers, not `subject`) keeps
 * every manifest the registry still serves.
 */
import 'server-only';
import { Annotation } from '@/lib/oci/media-types';
import type { Descriptor, Digest } from '@/lib/oci/types';
import type { LayoutStore } from './store';

/** A copy of an entry without its ref.name (other annotations stay). */
export function untaggedCopy(entry: Descriptor): Descriptor {
  const copy: Descriptor = { ...entry };
  if (entry.annotations) {
    const { [Annotation.RefName]: _ref, ...rest } = entry.annotations;
    if (Object.keys(rest).length > 0) copy.annotations = rest;
    else delete copy.annotations;
  }
  return copy;
}

/**
 * Appends an untagged entry for every manifest of `dropped` that `entries` no longer reach, so it stays
 * reachable by digest. Returns the new list.
 */
export async function keepReachable(
  store: LayoutStore,
  dir: string,
  entries: Descriptor[],
  dropped: readonly Descriptor[],
): Promise<Descriptor[]> {
  const next = [...entries];
  let reachable: Set<Digest> | undefined;
  for (const entry of dropped) {
    reachable ??= new Set((await store.walk(dir, next)).manifests.keys());
    if (reachable.has(entry.digest)) continue;
    next.push(untaggedCopy(entry));
    reachable = undefined;
  }
  return next;
}
