/**
 * The kept catalog of each source (catalog-keeper.ts): the whole repository list, answered at once and refreshed
 * in the background after `catalogCacheSeconds` (default {@link DEFAULT_CATALOG_CACHE_SECONDS}), shared
 * between replicas through Redis when `cache.redis` is configured (redis/shared-catalog.ts). The catalog page
 * reads it (GET /api/sources/{source}/catalog); deletes, pushes and copies through Porthole forget it
 * ({@link invalidateCatalog}). The paged API (`/repositories?n&last`) still reads the registry directly.
 */
import 'server-only';
import type { CatalogResponse } from '@/lib/api/types';
import { CatalogKeeper, type CatalogState } from './catalog-keeper';
import { forgetReadAhead } from './catalog-read-ahead';
import { sharedCatalogStore } from './redis/shared-catalog';
import type { Source } from './sources';

/** How long a kept catalog is answered before a background refresh, unless the source sets `catalogCacheSeconds`. */
export const DEFAULT_CATALOG_CACHE_SECONDS = 60;

const KEY = Symbol.for('porthole.catalogKeepers');
// Process-wide (Next.js bundles this module into several chunks): one keeper per source object.
const holder = globalThis as { [KEY]?: WeakMap<Source, CatalogKeeper> };
const keepers = (holder[KEY] ??= new WeakMap());

/** The source's cache time of its catalog, in seconds. */
export function catalogCacheSeconds(source: Pick<Source, 'config'>): number {
  return source.config.catalogCacheSeconds ?? DEFAULT_CATALOG_CACHE_SECONDS;
}

/** Every repository name of the source, in the registry's order (all pages, one pool slot). */
function readCatalog(source: Source): Promise<string[]> {
  return source.pool.run(async () => {
    const names: string[] = [];
    for await (const name of source.registry.listRepositories({ pageSize: 1000 })) names.push(name);
    return names;
  });
}

function keeperOf(source: Source): CatalogKeeper {
  let keeper = keepers.get(source);
  if (!keeper) {
    const shared = sharedCatalogStore(source);
    keeper = new CatalogKeeper({ maxAgeMs: catalogCacheSeconds(source) * 1000, read: () => readCatalog(source), ...(shared ? { shared } : {}) });
    keepers.set(source, keeper);
  }
  return keeper;
}

function toResponse(source: Source, state: CatalogState): CatalogResponse {
  return {
    repositories: state.names,
    listedAt: new Date(state.listedAt).toISOString(),
    cacheSeconds: catalogCacheSeconds(source),
    refreshing: state.refreshing,
    ...(state.refreshError
      ? { refreshError: { code: state.refreshError.code, message: state.refreshError.message, at: new Date(state.refreshError.at).toISOString() } }
      : {}),
  };
}

/** The kept catalog of `source`; `fresh` waits for a registry read (see CatalogKeeper.get). */
export async function getKeptCatalog(source: Source, options: { fresh?: boolean } = {}): Promise<CatalogResponse> {
  return toResponse(source, await keeperOf(source).get(options));
}

/** Forgets the kept catalog of `source` here and for the other replicas (a repository may have come or gone). */
export function invalidateCatalog(source: Source): void {
  forgetReadAhead(source);
  void keeperOf(source).invalidate().catch(() => undefined);
}
