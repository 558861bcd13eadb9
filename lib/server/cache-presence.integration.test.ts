/**
 * The content cache is shared by every source and repository; what it holds must only be shown where the
 * registry has it. Two real registries (docker-registry 2.8.2): `one` holds image X in `app` and image Y in
 * `other`; `two` holds image Y in `app`. Once X was read through source `a` (registry one, repository `app`),
 * neither the `/v2` server nor the API's manifest view may answer X (or its config) for `a/other` or for
 * `b/app` — the registry says it is not there. Where it is there, the cached bytes are served after one check.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestResponse } from '@/lib/api/types';
import { createHttpRegistry } from '@/lib/registry/http';
import { image, pushBuilt, type Built } from '@/lib/registry/testing/build';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { serveRegistry } from './registry-server';
import { resetSources, setConfigForTests } from './sources';
import { getJson } from './testing/test-api';
import { configOf } from './testing/test-support';

let one: RunningRegistry;
let two: RunningRegistry;
let dir: string;
const savedDataDir = process.env.PORTHOLE_DATA_DIR;
const x = image({ seed: 'presence-x' });
const y = image({ seed: 'presence-y' });

async function push(registry: RunningRegistry, repo: string, built: Built): Promise<void> {
  const client = createHttpRegistry({ url: registry.url, name: 'seed' });
  try {
    await pushBuilt(client, repo, built, { tag: 'v1' });
  } finally {
    await client.close();
  }
}

function v2(method: 'GET' | 'HEAD', path: string): Promise<Response> {
  return serveRegistry(new Request(`http://127.0.0.1:3000${path}`, { method, headers: { host: '127.0.0.1:3000' } }));
}

async function status(response: Response): Promise<number> {
  await response.body?.cancel();
  return response.status;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-cache-presence-'));
  process.env.PORTHOLE_DATA_DIR = join(dir, 'data');
  [one, two] = await Promise.all([startRegistry(), startRegistry()]);
  await push(one, 'app', x);
  await push(one, 'other', y);
  await push(two, 'app', y);
  await setConfigForTests(
    configOf({
      sources: [
        { name: 'a', url: one.url, serve: 'read' },
        { name: 'b', url: two.url, serve: 'read' },
      ],
      registryServer: { anonymousPull: true },
    }),
  );
}, 120_000);

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await Promise.all([one?.stop(), two?.stop()]);
  if (savedDataDir === undefined) delete process.env.PORTHOLE_DATA_DIR;
  else process.env.PORTHOLE_DATA_DIR = savedDataDir;
  await rm(dir, { recursive: true, force: true });
});

describe('content read through one repository is not shown through another', () => {
  const digest = x.manifest.descriptor.digest;
  const config = x.blobs[0]!.descriptor.digest;

  it('is kept after a read where it is', async () => {
    const view = await getJson<ManifestResponse>(`/api/sources/a/repositories/app/-/manifests/v1`);
    expect(view.status).toBe(200);
    expect(view.body.descriptor.digest).toBe(digest);
    const pulled = await v2('GET', `/v2/a/app/manifests/${digest}`);
    expect(pulled.status).toBe(200);
    expect(new Uint8Array(await pulled.arrayBuffer())).toEqual(x.manifest.bytes);
    const blob = await v2('GET', `/v2/a/app/blobs/${config}`);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(x.blobs[0]!.bytes);
  });

  it('another repository of the same registry: MANIFEST_UNKNOWN and BLOB_UNKNOWN, from /v2 and from the API', async () => {
    const manifest = await v2('GET', `/v2/a/other/manifests/${digest}`);
    expect(manifest.status).toBe(404);
    expect(await manifest.json()).toMatchObject({ errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    expect(await status(await v2('GET', `/v2/a/other/blobs/${config}`))).toBe(404);
    const view = await getJson(`/api/sources/a/repositories/other/-/manifests/${digest}`);
    expect(view.status).toBe(404);
    expect(view.text).not.toContain(config);
  });

  it('another source on another registry, same repository name: not found either', async () => {
    const manifest = await v2('GET', `/v2/b/app/manifests/${digest}`);
    expect(manifest.status).toBe(404);
    expect(await manifest.json()).toMatchObject({ errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    expect(await status(await v2('GET', `/v2/b/app/blobs/${config}`))).toBe(404);
    const view = await getJson(`/api/sources/b/repositories/app/-/manifests/${digest}`);
    expect(view.status).toBe(404);
    expect(view.text).not.toContain(config);
  });

  it('content both registries hold is served from either, with the right bytes', async () => {
    const yDigest = y.manifest.descriptor.digest;
    expect((await getJson(`/api/sources/a/repositories/other/-/manifests/v1`)).status).toBe(200);
    const fromB = await v2('GET', `/v2/b/app/manifests/${yDigest}`);
    expect(fromB.status).toBe(200);
    expect(new Uint8Array(await fromB.arrayBuffer())).toEqual(y.manifest.bytes);
  });
});
