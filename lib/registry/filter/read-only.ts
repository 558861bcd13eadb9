/**
 * `readOnly(r)`: reads and lists pass through; every write and delete is refused with DENIED.
 * Built with `fromFuncs` and an explicit list of forwarded methods, so it fails closed: a method added to
 * the Registry interface later is UNSUPPORTED here until it is forwarded on purpose.
 */
import { RegistryError } from '@/lib/oci/errors';
import { fromFuncs } from '../funcs';
import type { Registry } from '../registry';

function denied(): Promise<never> {
  return Promise.reject(new RegistryError('DENIED', 'source is read-only'));
}

export function readOnly(registry: Registry): Registry {
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
    pushBlob: denied,
    mountBlob: denied,
    pushManifest: denied,
    deleteTag: denied,
    deleteManifest: denied,
    deleteBlob: denied,
    capabilities: async (...args) => ({
      ...(await r.capabilities(...args)),
      write: false,
      manifestDelete: false,
      tagDelete: 'unsupported',
    }),
    close: () => r.close(),
  });
}
