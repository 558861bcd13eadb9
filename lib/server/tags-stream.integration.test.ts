/**
 * The streamed tags answer (`Accept: application/x-ndjson` on `…/-/tags`) against a real registry (distribution
 * 2.8.2): the same rows as the paged answer, a tag that cannot be read as an error row, rows written before the
 * registry has been read completely, and a client that leaves stops the registry reads.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TagRow, TagsResponse } from '@/lib/api/types';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { seedTags } from '@/lib/registry/testing/seed-tags';
import { api, getJson } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';
import { startDelayProxy, type DelayProxy } from '@/bench/proxy';
import { resetSources, setConfigForTests } from './sources';

const REPO = 'team/streamed';
const IMAGES = 20;
const TAGS_PER = 3;
/** The tag whose current link is removed from the registry's storage: listed, but its manifest GET fails. */
const BROKEN = 't4-1';

let registry: RunningRegistry;
let proxy: DelayProxy;
let dataDir: string;
const savedDataDir = process.env.PORTHOLE_DATA_DIR;

const streamPath = (source: string) => `/api/sources/${source}/repositories/${REPO}/-/tags`;

/** Reads a streamed answer to the end: its events, in order. */
async function readStream(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The last row of each name in a stream. */
function lastRows(events: readonly Record<string, unknown>[]): Map<string, TagRow> {
  const rows = new Map<string, TagRow>();
  for (const event of events) if (event.type === 'row') rows.set((event.row as TagRow).name, event.row as TagRow);
  return rows;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'porthole-tags-stream-'));
  process.env.PORTHOLE_DATA_DIR = dataDir;
  registry = await startRegistry();
  await seedTags(registry, REPO, { images: IMAGES, tagsPer: () => TAGS_PER, seed: 'streamed' });
  await rm(join(registry.rootDir, 'docker/registry/v2/repositories', REPO, '_manifests/tags', BROKEN, 'current'), { recursive: true });
  proxy = await startDelayProxy({ upstream: registry.url, delayMs: 40 });
  await setConfigForTests(
    configOf({
      sources: [
        // Each test reads through a source of its own: no listing or memo is shared between them.
        { name: 'streamed', url: registry.url },
        { name: 'paged', url: registry.url },
        { name: 'early', url: proxy.url, concurrency: 2 },
        { name: 'leaving', url: proxy.url, concurrency: 2 },
      ],
    }),
  );
}, 120_000);

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await proxy?.stop();
  await registry?.stop();
  if (savedDataDir === undefined) delete process.env.PORTHOLE_DATA_DIR;
  else process.env.PORTHOLE_DATA_DIR = savedDataDir;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the streamed tags answer', () => {
  it('ends with the rows of the paged answer, an error row for the unreadable tag, and a summary', async () => {
    const response = await api(streamPath('streamed'), { headers: { accept: 'application/x-ndjson' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const events = await readStream(response);
    expect(events[0]).toEqual({ type: 'start', tags: IMAGES * TAGS_PER });
    expect(events.at(-1)).toEqual({ type: 'end', total: IMAGES * TAGS_PER, errors: 1 });

    const paged = await getJson<TagsResponse>(`${streamPath('paged')}?n=1000`);
    expect(paged.status).toBe(200);
    const streamed = lastRows(events);
    expect([...streamed.keys()].sort()).toEqual(paged.body.tags.map((t) => t.name).sort());
    for (const row of paged.body.tags) expect(streamed.get(row.name), row.name).toEqual(row);

    const broken = streamed.get(BROKEN)!;
    expect(broken.error?.code).toBe('MANIFEST_UNKNOWN');
    expect(broken.digest).toBeNull();
    // Its image's other tags are fine, and name each other (not the broken one) as shared.
    expect(streamed.get('t4-0')).toMatchObject({ sharedWith: ['t4-2'] });
    expect(streamed.get('t4-0')).not.toHaveProperty('error');
  });

  it('writes rows while the registry is still being read; a second stream reads again only the unreadable tag', async () => {
    proxy.reset();
    const response = await api(streamPath('early'), { headers: { accept: 'application/x-ndjson' } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('"type":"row"')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended before any row');
      text += value;
    }
    // A view reads 1 tag list + 60 manifests + 20 configs; the first row came long before that.
    expect(proxy.counts().total).toBeLessThan(1 + IMAGES * TAGS_PER + IMAGES);
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += value;
    }
    expect(rest.trim().split('\n').at(-1)).toContain('"type":"end"');

    // A second stream of the same listing (within the tag cache time) reuses every tag the first one read; only
    // the unreadable tag is asked again (rows with an error are retried, as by the paged answer).
    proxy.reset();
    const again = await readStream(await api(streamPath('early'), { headers: { accept: 'application/x-ndjson' } }));
    expect(proxy.counts().total).toBe(1);
    expect(lastRows(again).size).toBe(IMAGES * TAGS_PER);
    expect(again.at(-1)).toEqual({ type: 'end', total: IMAGES * TAGS_PER, errors: 1 });
  });

  it('stops reading the registry when the client goes away', async () => {
    proxy.reset();
    const controller = new AbortController();
    const response = await api(streamPath('leaving'), { headers: { accept: 'application/x-ndjson' }, signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('"type":"row"')) text += (await reader.read()).value ?? '';
    controller.abort();
    await reader.cancel().catch(() => undefined);
    // What was in flight ends (2 at most at concurrency 2); nothing new starts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const atAbort = proxy.counts().total;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(proxy.counts().total).toBe(atAbort);
    expect(atAbort).toBeLessThan(1 + IMAGES * TAGS_PER);
  });

  it('answers a repository that cannot be listed with a JSON error, not a stream', async () => {
    const response = await api('/api/sources/streamed/repositories/team/missing/-/tags', { headers: { accept: 'application/x-ndjson' } });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { errors: { code: string }[] };
    expect(body.errors[0]!.code).toBe('NAME_UNKNOWN');
  });

  it('keeps the paged JSON answer for clients that do not ask for NDJSON', async () => {
    const { status, body } = await getJson<TagsResponse>(`${streamPath('streamed')}?n=5&sort=-name`);
    expect(status).toBe(200);
    expect(body.tags).toHaveLength(5);
    expect(body.total).toBe(IMAGES * TAGS_PER);
    expect(body.next).toBe(body.tags[4]!.name);
  });
});

