/**
 * The catalog of a source, one page at a time: the registry's order is kept (distribution sorts by path
 * components, not bytes), `last` is passed to the registry as the place to continue from, and `q` filters by
 * a case-insensitive substring while reading on until the page is full.
 */
import 'server-only';
import type { RepositoriesResponse } from '@/lib/api/types';
import type { Source } from './sources';

export interface RepositoriesQuery {
  n: number;
  last?: string;
  q?: string;
}

export async function getRepositoriesPage(source: Source, query: RepositoriesQuery): Promise<RepositoriesResponse> {
  const needle = query.q?.toLowerCase();
  const repositories: string[] = [];
  let more = false;
  await source.pool.run(async () => {
    const iterable = source.registry.listRepositories({
      ...(query.last ? { startAfter: query.last } : {}),
      pageSize: needle ? 1000 : Math.min(1000, query.n + 1),
    });
    for await (const name of iterable) {
      if (needle && !name.toLowerCase().includes(needle)) continue;
      // One match beyond the page tells whether a next page exists.
      if (repositories.length === query.n) {
        more = true;
        break;
      }
      repositories.push(name);
    }
  });
  return { repositories, next: more ? repositories[repositories.length - 1]! : null };
}
