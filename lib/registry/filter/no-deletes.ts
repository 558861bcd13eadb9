/**
 * `noDeletes(r)`: reads, lists and writes pass through; every delete is refused with DENIED. The wrapper of a
 * source with `write: true` but without `delete: true`. Built with `fromFuncs` and an explicit list of
 * forwarded methods, so it fails closed like `readOnly`.
 */
import { RegistryError } from '@/lib/oci/errors';
import { fromFuncs } from '../funcs';
import type { Registry } from '../registry';

function denied(): Promise<never> {
  return Promise.reject(new RegistryError('DENIED', 'deleting is not allowed on this source'));
}

export function noDeletes(registry: Registry): Registry {
  const r = registry;
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
    pushBlob: (...args) => r.pushBlob(...args),
    mountBlob: (...args) => r.mountBlob(...args),
    pushManifest: (...args) => r.pushManifest(...args),
    deleteTag: denied,
    deleteManifest: denied,
    deleteBlob: denied,
    capabilities: async (...args) => ({ ...(await r.capabilities(...args)), manifestDelete: false, tagDelete: 'unsupported' }),
    close: () => r.close(),
  });
}
