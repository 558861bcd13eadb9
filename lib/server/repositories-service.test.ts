import { describe, expect, it } from 'vitest';
import type { ListOptions } from '@/lib/registry/registry';
import { RegistryError } from '@/lib/oci/errors';
import { forgetReadAhead } from './catalog-read-ahead';
import { getRepositoriesPage } from './repositories-service';
import type { Source } from './sources';

/** A catalog served in registry pages of `pageSize`, reporting `more` like the HTTP backend (Link headers). */
function pagedSource(names: string[], reads: { count: number; failAfter?: string[] }): Source {
  async function* listRepositories(options: ListOptions = {}) {
    const size = options.pageSize ?? 1000;
    let start = options.startAfter ? names.indexOf(options.startAfter) + 1 : 0;
    for (;;) {
      const page = names.slice(start, start + size);
      reads.count += 1;
      await Promise.resolve();
      if (options.startAfter && reads.failAfter?.includes(options.startAfter)) throw new RegistryError('UNAVAILABLE', 'registry down');
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

  it('reads the next page ahead for a client paging through, and gives it out once', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => `repo-${i}`);
    const reads = { count: 0 };
    const source = pagedSource(ten, reads);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    expect(await getRepositoriesPage(source, { n: 3 })).toEqual({ repositories: ['repo-0', 'repo-1', 'repo-2'], next: 'repo-2' });
    await settle();
    expect(reads.count).toBe(1); // a first page reads nothing ahead
    expect(await getRepositoriesPage(source, { n: 3, last: 'repo-2' })).toEqual({ repositories: ['repo-3', 'repo-4', 'repo-5'], next: 'repo-5' });
    await settle();
    expect(reads.count).toBe(3); // its own page and the next one
    expect(await getRepositoriesPage(source, { n: 3, last: 'repo-5' })).toEqual({ repositories: ['repo-6', 'repo-7', 'repo-8'], next: 'repo-8' });
    await settle();
    expect(reads.count).toBe(4); // served from the read ahead; only the page after it is read
    expect(await getRepositoriesPage(source, { n: 3, last: 'repo-8' })).toEqual({ repositories: ['repo-9'], next: null });
    await settle();
    expect(reads.count).toBe(4); // the last page: nothing after it
    // Given out once: the same request again reads the registry.
    await getRepositoriesPage(source, { n: 3, last: 'repo-8' });
    expect(reads.count).toBe(5);
  });

  it('reads no page ahead through a filter, and reads a page itself when its read ahead failed or a change dropped it', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => `repo-${i}`);
    const reads: { count: number; failAfter?: string[] } = { count: 0, failAfter: ['repo-5'] };
    const source = pagedSource(ten, reads);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    await getRepositoriesPage(source, { n: 3, last: 'repo-2', q: 'repo' });
    await settle();
    expect(reads.count).toBe(1);
    await getRepositoriesPage(source, { n: 3, last: 'repo-2' }); // reads ahead after repo-5, which fails
    await settle();
    reads.failAfter = [];
    expect(await getRepositoriesPage(source, { n: 3, last: 'repo-5' })).toEqual({ repositories: ['repo-6', 'repo-7', 'repo-8'], next: 'repo-8' });
    await settle();
    expect(reads.count).toBe(5); // the failed read ahead, then this page and the one after it
    forgetReadAhead(source); // what invalidateCatalog does after a change made through Porthole
    await getRepositoriesPage(source, { n: 3, last: 'repo-8' });
    expect(reads.count).toBe(6); // what was read ahead before the change is not served
  });

  it('reads on through a filter until the page is full', async () => {
    const reads = { count: 0 };
    const page = await getRepositoriesPage(pagedSource(names, reads), { n: 1, q: 'REPO-4' });
    expect(page).toEqual({ repositories: ['repo-4'], next: null });
  });
});
