import { describe, expect, it } from 'vitest';
import type { ListOptions } from '@/lib/registry/registry';
import { getRepositoriesPage } from './repositories-service';
import type { Source } from './sources';

/** A catalog served in registry pages of `pageSize`, reporting `more` like the HTTP backend (Link headers). */
function pagedSource(names: string[], reads: { count: number }): Source {
  async function* listRepositories(options: ListOptions = {}) {
    const size = options.pageSize ?? 1000;
    let start = options.startAfter ? names.indexOf(options.startAfter) + 1 : 0;
    for (;;) {
      const page = names.slice(start, start + size);
      reads.count += 1;
      start += page.length;
      options.onPage?.(start < names.length);
      yield* page;
      if (start >= names.length || page.length === 0) return;
    }
  }
  return { pool: { run: <T>(task: () => Promise<T>) => task() }, registry: { listRepositories } } as unknown as Source;
}

describe('getRepositoriesPage', () => {
  const names = Array.from({ length: 6 }, (_, i) => `repo-${i}`);

  it('ends a full last page with next: null without reading another registry page', async () => {
    const reads = { count: 0 };
    const source = pagedSource(names, reads);
    const first = await getRepositoriesPage(source, { n: 3 });
    expect(first).toEqual({ repositories: ['repo-0', 'repo-1', 'repo-2'], next: 'repo-2' });
    const second = await getRepositoriesPage(source, { n: 3, last: 'repo-2' });
    expect(second).toEqual({ repositories: ['repo-3', 'repo-4', 'repo-5'], next: null });
    // One registry page per API page: "more" came from the registry, not from reading ahead.
    expect(reads.count).toBe(2);
  });

  it('reads on through a filter until the page is full', async () => {
    const reads = { count: 0 };
    const page = await getRepositoriesPage(pagedSource(names, reads), { n: 1, q: 'REPO-4' });
    expect(page).toEqual({ repositories: ['repo-4'], next: null });
  });
});
