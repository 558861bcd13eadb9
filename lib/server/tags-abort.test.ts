import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { image, pushBuilt } from '@/lib/registry/testing/build';
import { getSource, resetSources, setConfigForTests } from './sources';
import { getTagsPage } from './tags-service';
import { configOf, countCalls } from './testing/test-support';

const REPO = 'team/left';

afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

describe('a tag view whose client leaves', () => {
  it('rejects with the reason at once, starts no further tag, and the next view still answers every row', async () => {
    const memory = createMemoryRegistry();
    const built = image({ seed: 'left', config: { created: '2024-05-01T00:00:00Z', architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, history: [] } });
    for (let i = 0; i < 50; i++) await pushBuilt(memory, REPO, built, { tag: `t${String(i).padStart(2, '0')}` });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gated = countCalls({ ...memory, getTag: async (...args: Parameters<Registry['getTag']>) => (await gate, memory.getTag(...args)) } as Registry);
    await setConfigForTests(configOf({ sources: [{ name: 'mem', kind: 'memory', concurrency: 3 }] }), { mem: gated.registry });
    const source = await getSource('mem');

    const request = new AbortController();
    const view = getTagsPage(source, REPO, { n: 1000, sort: { key: 'name', descending: false }, details: true }, request.signal);
    await vi.waitFor(() => expect(gated.count('getTag')).toBe(3));
    request.abort(new Error('client left'));
    // While the three reads in flight are still held: the view does not wait for them.
    await expect(view).rejects.toThrow('client left');
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gated.count('getTag')).toBe(3);

    const page = await getTagsPage(source, REPO, { n: 1000, sort: { key: 'name', descending: false }, details: true });
    expect(page.total).toBe(50);
    expect(page.tags.every((row) => row.digest === built.manifest.descriptor.digest && row.created === '2024-05-01T00:00:00Z' && !row.error)).toBe(true);
  });
});
