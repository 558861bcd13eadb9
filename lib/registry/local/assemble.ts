/**
 * Puts a local backend (layout, memory) together from its parts. Both store everything themselves, so they
 * can do all a registry can: catalog, writes, manifest and native tag deletes, referrers from `subject`.
 */
import 'server-only';
import type { Capabilities, Registry, RegistryDeleter, RegistryLister, RegistryReader, RegistryWriter } from '@/lib/registry/registry';

const LOCAL_CAPABILITIES: Capabilities = {
  catalog: true,
  write: true,
  manifestDelete: true,
  tagDelete: 'native',
  referrersApi: true,
};

/** A local backend's part makers, each over the backend's store. */
export interface LocalParts<S> {
  createReader: (store: S) => RegistryReader;
  createLister: (store: S) => RegistryLister;
  createWriter: (store: S) => RegistryWriter;
  createDeleter: (store: S) => RegistryDeleter;
}

/**
 * A Registry of a local backend's reader, lister, writer and deleter over `store`, with the local capabilities;
 * `close` releases what the backend holds.
 */
export function assembleLocalRegistry<S>(store: S, parts: LocalParts<S>, close: () => Promise<void>): Registry {
  return {
    ...parts.createReader(store),
    ...parts.createLister(store),
    ...parts.createWriter(store),
    ...parts.createDeleter(store),
    async capabilities(_repo, options) {
      options?.signal?.throwIfAborted();
      return { ...LOCAL_CAPABILITIES };
    },
    close,
  } satisfies Registry;
}
