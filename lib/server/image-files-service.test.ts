import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { image, pushBuilt } from '@/lib/registry/testing/build';
import { loadImage } from './image-files-service';
import { getSource, resetSources, setConfigForTests } from './sources';
import { configOf } from './testing/test-support';

/** One more than the images kept: `i0` … `i8`, layerless (their filesystems are empty, which is enough here). */
const TAGS = Array.from({ length: 9 }, (_, i) => `i${i}`);

beforeAll(async () => {
  const memory = createMemoryRegistry();
  for (const tag of TAGS) await pushBuilt(memory, 'app', image({ seed: `files-${tag}`, layers: [] }), { tag });
  await setConfigForTests(configOf({ sources: [{ name: 'm', kind: 'memory' }] }), { m: memory });
});

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
});

describe('the images whose files were read', () => {
  it('keeps the least recently used out, not the first loaded: an image browsed all along stays', async () => {
    const source = await getSource('m');
    const load = (tag: string) => loadImage(source, 'app', tag, null);
    const browsed = await load('i0');
    const first = [];
    for (const tag of TAGS.slice(1, 8)) first.push(await load(tag));
    // Eight kept; reading `i0` again makes it the most recently used.
    expect(await load('i0')).toBe(browsed);
    await load('i8');
    expect(await load('i0')).toBe(browsed);
    // `i1` was the least recently used: read again, it is built afresh.
    const again = await load('i1');
    expect(again).not.toBe(first[0]);
    expect(again.manifest).toBe(first[0]!.manifest);
  });

  it('does not serve a source configured again under the same name from what the old one read', async () => {
    const before = await loadImage(await getSource('m'), 'app', 'i0', null);
    expect(await loadImage(await getSource('m'), 'app', 'i0', null)).toBe(before);
    // The same name, another registry (here holding the same image, so that the answer can be compared).
    const again = createMemoryRegistry();
    await pushBuilt(again, 'app', image({ seed: 'files-i0', layers: [] }), { tag: 'i0' });
    await setConfigForTests(configOf({ sources: [{ name: 'm', kind: 'memory' }] }), { m: again });
    const after = await loadImage(await getSource('m'), 'app', 'i0', null);
    expect(after).not.toBe(before);
    expect(after.manifest).toBe(before.manifest);
  });
});
