/**
 * `readOnly(r)`: reads and lists pass through; every write and delete is refused with DENIED.
 * `noDeletes(r)`: reads, lists and writes pass through; every delete is refused with DENIED (a source with
 * `write: true` but without `delete: true`).
 * Both are built with `fromFuncs` and an explicit list of forwarded methods, so they fail closed: a method added
 * to the Registry interface later is UNSUPPORTED here until it is forwarded on purpose.
 */
import { RegistryError } from '@/lib/oci/errors';
import { fromFuncs } from '../funcs';
import type { Registry } from '../registry';

function refusing(message: string): () => Promise<never> {
  return () => Promise.reject(new RegistryError('DENIED', message));
}

/** Reads and lists of `r`, deletes refused; writes forwarded when `writes` is true, refused otherwise. */
function restricted(r: Registry, writes: boolean): Registry {
  const deny = refusing(writes ? 'deleting is not allowed on this source' : 'source is read-only');
  return fromFuncs({
    resolveTag: (...args) => r.resolveTag(...args),
    resolveManifest: (...args) => r.resolveManifest(...args),
    resolveBlob: (...args) => r.resolveBlob(...args),
    getTag: (...args) => r.getTag(...args),
    getManifest: (...args) => r.getManifest(...args),
    getBlob: (...args) => r.getBlob(...args),
    listRepositories: (...args) => r.listRepositories(...args),
    listTags: (...args) => r.listTags(...args),
    listReferrers: (...args) => r.listReferrers(...args),
    pushBlob: writes ? (...args) => r.pushBlob(...args) : deny,
    mountBlob: writes ? (...args) => r.mountBlob(...args) : deny,
    pushManifest: writes ? (...args) => r.pushManifest(...args) : deny,
    deleteTag: deny,
    deleteManifest: deny,
    deleteBlob: deny,
    capabilities: async (...args) => ({
      ...(await r.capabilities(...args)),
      ...(writes ? {} : { write: false }),
      manifestDelete: false,
      tagDelete: 'unsupported',
    }),
    close: () => r.close(),
  });
}

export function readOnly(registry: Registry): Registry {
  return restricted(registry, false);
}

export function noDeletes(registry: Registry): Registry {
  return restricted(registry, true);
}
