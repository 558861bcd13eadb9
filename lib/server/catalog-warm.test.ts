import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { image, pushBuilt } from '@/lib/registry/testing/build';
import { getKeptCatalog } from './catalog-service';
import { warmCatalogs } from './catalog-warm';
import { getSource, resetSources, setConfigForTests } from './sources';
import { configOf, countCalls } from './testing/test-support';

afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

async function countedMemory(repo: string) {
  const memory = createMemoryRegistry();
  await pushBuilt(memory, repo, image({ seed: repo }), { tag: 'v1' });
  return countCalls(memory);
}

describe('warmCatalogs', () => {
  it("reads each keeping source's catalog once, so the first page view asks the registry for nothing", async () => {
    const [kept, off, named] = await Promise.all([countedMemory('kept/app'), countedMemory('off/app'), countedMemory('named/app')]);
    await setConfigForTests(
      configOf({
        sources: [
          { name: 'kept', kind: 'memory' },
          { name: 'off', kind: 'memory', catalogCacheSeconds: 0 },
          { name: 'named', kind: 'memory', repositories: ['named/app'] },
        ],
      }),
      { kept: kept.registry, off: off.registry, named: named.registry },
    );
    await warmCatalogs();
    expect(kept.count('listRepositories')).toBe(1);
    // Left alone: a source that keeps no catalog, and one whose repositories the configuration names.
    expect(off.count('listRepositories')).toBe(0);
    expect(named.count('listRepositories')).toBe(0);

    const page = await getKeptCatalog(await getSource('kept'));
    expect(page.repositories).toEqual(['kept/app']);
    expect(kept.count('listRepositories')).toBe(1);
  });

  it('carries on past a source whose catalog cannot be read', async () => {
    const good = await countedMemory('good/app');
    const broken = countCalls(createMemoryRegistry());
    broken.registry.listRepositories = () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('registry down')) }),
    });
    await setConfigForTests(configOf({ sources: [{ name: 'broken', kind: 'memory' }, { name: 'good', kind: 'memory' }] }), { broken: broken.registry, good: good.registry });
    await warmCatalogs();
    expect(good.count('listRepositories')).toBe(1);
    // Nothing was kept for it: a page view reads (and reports) the failure.
    await expect(getKeptCatalog(await getSource('broken'))).rejects.toThrow('registry down');
  });

  it('reads the sources at once: a registry that does not answer delays no other source', async () => {
    const good = await countedMemory('good/app');
    const stuck = countCalls(createMemoryRegistry());
    let release = () => {};
    stuck.registry.listRepositories = () => ({
      [Symbol.asyncIterator]: () => ({ next: () => new Promise((resolve) => (release = () => resolve({ done: true, value: undefined }))) }),
    });
    await setConfigForTests(configOf({ sources: [{ name: 'stuck', kind: 'memory' }, { name: 'good', kind: 'memory' }] }), { stuck: stuck.registry, good: good.registry });
    const warming = warmCatalogs();
    for (let i = 0; i < 50 && good.count('listRepositories') === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(good.count('listRepositories')).toBe(1);
    release();
    await warming;
  });
});
