import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLayoutRegistry } from '@/lib/registry/layout';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { DEMO_MARKER_FILE, ensureDemoLayout, readDemoMarker } from './ensure';
import { DEMO_GENERATOR_VERSION, generateDemo } from './generate';

let parent: string;
let dir: string;
let firstPath: string;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'porthole-demo-'));
  dir = join(parent, 'nested', 'demo');
  // Two concurrent callers (the start script and the server) share one generation.
  const [a, b] = await Promise.all([ensureDemoLayout(dir), ensureDemoLayout(dir)]);
  expect(a).toBe(b);
  firstPath = a;
}, 120_000);

afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('ensureDemoLayout', () => {
  it('generates the demo into an OCI layout directory with a marker', async () => {
    expect(firstPath).toBe(dir);
    const marker = await readDemoMarker(dir);
    expect(marker).toMatchObject({ generator: 'porthole-demo', version: DEMO_GENERATOR_VERSION });
    expect(marker!.repositories).toBeGreaterThanOrEqual(6);
    expect(JSON.parse(await readFile(join(dir, 'platform', 'api', 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    // Only the finished directory is left: no temp or old copies next to it.
    expect(await readdir(join(parent, 'nested'))).toEqual(['demo']);
  });

  it('holds the same tags and digests as a generation into memory', async () => {
    const layout = createLayoutRegistry(dir);
    const expected = (await generateDemo(createMemoryRegistry())).tags;
    const actual = new Map<string, string>();
    for await (const repo of layout.listRepositories()) {
      for await (const tag of layout.listTags(repo)) actual.set(`${repo}:${tag}`, (await layout.resolveTag(repo, tag)).digest);
    }
    expect(new Map([...actual].sort())).toEqual(new Map([...expected].sort()));
  });

  it('is cheap and leaves the directory alone when the marker is current', async () => {
    const before = await stat(join(dir, DEMO_MARKER_FILE));
    await ensureDemoLayout(dir);
    expect((await stat(join(dir, DEMO_MARKER_FILE))).mtimeMs).toBe(before.mtimeMs);
  });

  it('regenerates when the marker names another generator version, replacing the old content', async () => {
    const marker = JSON.parse(await readFile(join(dir, DEMO_MARKER_FILE), 'utf8')) as { version: number };
    await writeFile(join(dir, DEMO_MARKER_FILE), JSON.stringify({ ...marker, version: DEMO_GENERATOR_VERSION - 1 }));
    await writeFile(join(dir, 'stale-file'), 'from the old demo');
    await ensureDemoLayout(dir);
    expect((await readDemoMarker(dir))?.version).toBe(DEMO_GENERATOR_VERSION);
    await expect(stat(join(dir, 'stale-file'))).rejects.toThrow();
    expect(await readdir(join(parent, 'nested'))).toEqual(['demo']);
  }, 120_000);
});
