import { dehydrate, hydrate, QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { registryQueries } from '@/lib/query/options';
import { fromFuncs } from '@/lib/registry/funcs';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { image, pushBuilt } from '@/lib/registry/testing/build';
import { resetSources, setConfigForTests } from '@/lib/server/sources';
import { configOf } from '@/lib/server/testing/test-support';
import { findSource, prefetchRepositories, prefetchSources, prefetchTagNames } from './prefetch';

afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

/** What the browser holds after hydrating the server's dehydrated state (through JSON, as in the HTML). */
function browserAfter(server: QueryClient): QueryClient {
  const browser = new QueryClient();
  hydrate(browser, JSON.parse(JSON.stringify(dehydrate(server))));
  return browser;
}

describe('server prefetch', () => {
  it('puts data under the keys and in the shape of the browser query options', async () => {
    const memory = createMemoryRegistry();
    const img = image({ seed: 'p' });
    for (const tag of ['v1', 'v2', 'latest']) await pushBuilt(memory, 'team/app', img, { tag });
    await pushBuilt(memory, 'other', img, { tag: 'x' });
    await setConfigForTests(configOf({ sources: [{ name: 'm', kind: 'memory' }] }), { m: memory });
    const source = (await findSource('m'))!;

    const server = new QueryClient();
    await Promise.all([prefetchSources(server), prefetchRepositories(server, source), prefetchTagNames(server, source, 'team/app')]);
    const browser = browserAfter(server);

    expect(browser.getQueryData(registryQueries.sources().queryKey)).toEqual({ sources: [expect.objectContaining({ name: 'm', kind: 'memory' })] });
    expect(browser.getQueryData(registryQueries.repositories('m').queryKey)).toMatchObject({ repositories: ['other', 'team/app'], refreshing: false });
    expect(browser.getQueryData(registryQueries.tagNames('m', 'team/app').queryKey)).toEqual({ names: ['latest', 'v1', 'v2'] });
    expect(await findSource('nope')).toBeNull();
  });

  it('leaves a failing registry to the browser: nothing is sent, nothing throws', async () => {
    let reads = 0;
    const failing = fromFuncs({
      listRepositories: () => ({
        [Symbol.asyncIterator]: () => ({ next: () => (reads++, Promise.reject(new RegistryError('UNAVAILABLE', 'registry down'))) }),
      }),
      listTags: () => ({
        [Symbol.asyncIterator]: () => ({ next: () => (reads++, Promise.reject(new RegistryError('UNAVAILABLE', 'registry down'))) }),
      }),
      capabilities: async () => ({ catalog: true, write: false, manifestDelete: false, tagDelete: 'unsupported', referrersApi: true }),
    });
    await setConfigForTests(configOf({ sources: [{ name: 'f', kind: 'memory' }] }), { f: failing });
    const source = (await findSource('f'))!;
    const server = new QueryClient();
    await prefetchRepositories(server, source);
    await prefetchTagNames(server, source, 'team/app');
    // One read each: no retries with back-off while the page renders (the browser retries).
    expect(reads).toBe(2);
    const browser = browserAfter(server);
    expect(browser.getQueryData(registryQueries.repositories('f').queryKey)).toBeUndefined();
    expect(browser.getQueryData(registryQueries.tagNames('f', 'team/app').queryKey)).toBeUndefined();
  });
});
