/**
 * The demo is the same bytes in every process: `lib/demo/cli.ts` generates it in a fresh process (fresh
 * module state, its own zlib stream) into a layout directory, and every tag there must point at the digest
 * an in-process generation gives — which covers every manifest, config and layer below it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLayoutRegistry } from '@/lib/registry/layout';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { runScript } from '@/lib/testing/run-script';
import { generateDemo } from './generate';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-demo-determinism-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('generates the same tag → digest map in another process as in this one', async () => {
  const run = await runScript('lib/demo/cli.ts', [join(dir, 'demo')]);
  expect(run.code, run.stderr).toBe(0);
  const expected = await generateDemo(createMemoryRegistry());
  const layout = createLayoutRegistry(join(dir, 'demo'));
  const seen = new Map<string, string>();
  for (const key of expected.tags.keys()) {
    const colon = key.lastIndexOf(':');
    seen.set(key, (await layout.resolveTag(key.slice(0, colon), key.slice(colon + 1))).digest);
  }
  expect(seen).toEqual(expected.tags);
  expect(expected.tags.size).toBeGreaterThan(400);
}, 180_000);
