/**
 * Reads every source's catalog into the kept catalog when the server starts (in the background, every source at
 * once), so the first catalog page after a start or deploy is answered at once instead of paging the
 * registry's `_catalog` while the reader waits. With `cache.redis`, a replica starting next to others takes
 * their shared list instead. Sources that list their repositories in the configuration (registries without a
 * catalog) and sources with `catalogCacheSeconds: 0` are left alone; a failure is not an error here (the page
 * reports it when someone opens it).
 */
import 'server-only';
import { catalogCacheSeconds, getKeptCatalog } from './catalog-service';
import { getSources } from './sources';

/**
 * Fills the kept catalog of each source that keeps one, all at once (an unreachable registry, with its timeouts
 * and retries, delays no other source); resolves when every read has ended.
 */
export async function warmCatalogs(): Promise<void> {
  const sources = (await getSources()).filter((source) => catalogCacheSeconds(source) > 0 && !source.config.repositories?.length);
  await Promise.all(sources.map((source) => getKeptCatalog(source).catch(() => undefined)));
}
