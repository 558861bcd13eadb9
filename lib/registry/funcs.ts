/**
 * Building a {@link Registry} from some of its methods: every method not given fails with UNSUPPORTED.
 * Wrappers (`./filter`) are built with it and list the methods they forward, so a method added to the
 * interface later fails closed instead of silently bypassing the wrapper (cue-labs `ociregistry.Funcs`).
 */
import { RegistryError } from '@/lib/oci/errors';
import { failing } from './iter';
import type { Registry } from './registry';

/** The methods a {@link fromFuncs} registry may be given. */
export type RegistryFuncs = Partial<Registry>;

/** The error of a method a registry does not offer. */
export function unsupported(method: string): RegistryError {
  return new RegistryError('UNSUPPORTED', `${method} is not supported by this registry`);
}

type AsyncMethod = (...args: never[]) => Promise<unknown>;
type ListMethod = (...args: never[]) => AsyncIterable<unknown>;

/** A promise-returning method; a synchronous throw from `fn` becomes a rejection. */
function call<M extends AsyncMethod>(funcs: RegistryFuncs, name: keyof Registry, fn: M | undefined): M {
  return ((...args: Parameters<M>) => {
    if (!fn) return Promise.reject(unsupported(name));
    try {
      return fn.apply(funcs, args);
    } catch (error) {
      return Promise.reject(error);
    }
  }) as M;
}

/** A list method; a missing method yields a list that fails on its first `next()`. */
function list<M extends ListMethod>(funcs: RegistryFuncs, name: keyof Registry, fn: M | undefined): M {
  return ((...args: Parameters<M>) => {
    if (!fn) return failing(unsupported(name));
    try {
      return fn.apply(funcs, args);
    } catch (error) {
      return failing(error);
    }
  }) as M;
}

/**
 * A registry whose methods are those of `funcs` (called with `funcs` as `this`); every missing method rejects
 * with UNSUPPORTED, and missing list methods return lists that reject on the first `next()`. A missing
 * `close` is a no-op: there is nothing to release.
 */
export function fromFuncs(funcs: RegistryFuncs): Registry {
  const f = funcs;
  // An object literal typed as Registry: adding a method to the interface breaks the build here until it is
  // handled, and nothing is copied from `funcs` implicitly.
  const registry: Registry = {
    resolveTag: call(f, 'resolveTag', f.resolveTag),
    resolveManifest: call(f, 'resolveManifest', f.resolveManifest),
    resolveBlob: call(f, 'resolveBlob', f.resolveBlob),
    getTag: call(f, 'getTag', f.getTag),
    getManifest: call(f, 'getManifest', f.getManifest),
    getBlob: call(f, 'getBlob', f.getBlob),
    listRepositories: list(f, 'listRepositories', f.listRepositories),
    listTags: list(f, 'listTags', f.listTags),
    listReferrers: list(f, 'listReferrers', f.listReferrers),
    pushBlob: call(f, 'pushBlob', f.pushBlob),
    mountBlob: call(f, 'mountBlob', f.mountBlob),
    pushManifest: call(f, 'pushManifest', f.pushManifest),
    deleteTag: call(f, 'deleteTag', f.deleteTag),
    deleteManifest: call(f, 'deleteManifest', f.deleteManifest),
    deleteBlob: call(f, 'deleteBlob', f.deleteBlob),
    capabilities: call(f, 'capabilities', f.capabilities),
    close: f.close ? call(f, 'close', f.close) : () => Promise.resolve(),
  };
  return registry;
}
