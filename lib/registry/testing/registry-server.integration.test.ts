import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_MEDIA_TYPES } from '@/lib/oci/media-types';
import { loadLayout } from './push-layout-raw';
import { parseBearerChallenge, registryFetch } from './registry-fetch';
import { startRegistry, type RunningRegistry } from './registry-server';
import { REGCLIENT_TESTREPO } from './fixtures';
import { dockerRef, pushLayoutImage, skopeoInspect, skopeoListTags, writeOciLayout, type LayoutResult } from './skopeo';

const ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');
const started: RunningRegistry[] = [];
const pids: number[] = [];
let layoutDir: string;
let layout: LayoutResult;

async function start(options: Parameters<typeof startRegistry>[0]): Promise<RunningRegistry> {
  const registry = await startRegistry(options);
  started.push(registry);
  if (registry.pid) pids.push(registry.pid);
  return registry;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  layoutDir = await mkdtemp(join(tmpdir(), 'porthole-layout-'));
  layout = await writeOciLayout(layoutDir, [
    { tag: 'multi', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] },
    { tag: 'single', layers: 2 },
  ]);
});

afterAll(async () => {
  await Promise.all(started.map((r) => r.stop()));
  await rm(layoutDir, { recursive: true, force: true });
});

describe('startRegistry without auth', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await start({ maxCatalogEntries: 5 });
    await pushLayoutImage(registry, layoutDir, 'multi', 'team/app', { all: true });
    await pushLayoutImage(registry, layoutDir, 'single', 'team/app');
  });

  it('serves /v2/ and the pushed content on 127.0.0.1', async () => {
    expect(registry.host).toBe(`127.0.0.1:${registry.port}`);
    const ping = await request(`${registry.url}/v2/`);
    expect(ping.statusCode).toBe(200);
    await ping.body.dump();
    expect((await skopeoListTags(dockerRef(registry, 'team/app'))).sort()).toEqual(['multi', 'single']);
    const index = (await skopeoInspect(dockerRef(registry, 'team/app', 'multi'), { raw: true })) as { manifests: unknown[] };
    expect(index.manifests).toHaveLength(2);
  });

  it('applies catalog.maxentries', async () => {
    const res = await request(`${registry.url}/v2/_catalog?n=6`);
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('PAGINATION_NUMBER_INVALID');
  });

  it('deletes by digest when delete is enabled (202), and garbage-collects the blobs', async () => {
    const single = layout.images.find((i) => i.tag === 'single')!;
    const res = await request(`${registry.url}/v2/team/app/manifests/${single.descriptor.digest}`, { method: 'DELETE' });
    expect(res.statusCode).toBe(202);
    await res.body.dump();
    const dry = await registry.garbageCollect({ dryRun: true });
    // distribution stores the manifest as a blob too.
    const expected = [...single.blobs, single.descriptor.digest].sort();
    expect(dry.blobs.sort()).toEqual(expected);
    const gc = await registry.garbageCollect();
    expect(gc.blobs.sort()).toEqual(expected);
    const blob = await request(`${registry.url}/v2/team/app/blobs/${single.blobs[0]}`, { method: 'HEAD' });
    expect(blob.statusCode).toBe(404);
    await blob.body.dump();
  });

  it('reports untagged manifests with deleteUntagged (2.8.2 also lists index children)', async () => {
    const multi = layout.images.find((i) => i.tag === 'multi')!;
    const dry = await registry.garbageCollect({ dryRun: true, deleteUntagged: true });
    expect(dry.manifests).toEqual(expect.arrayContaining(multi.manifests.map((m) => ({ repo: 'team/app', digest: m.digest }))));
  });

  it('halts (in-flight requests fail) and starts again on the same storage', async () => {
    const pid = registry.pid!;
    const inflight = request(`${registry.url}/v2/team/app/tags/list`).then(
      async (r) => {
        await r.body.dump();
        return r.statusCode;
      },
      () => 'failed',
    );
    await registry.halt();
    await inflight; // either answered before the kill or failed: never hangs
    expect(registry.running).toBe(false);
    expect(isAlive(pid)).toBe(false);
    await expect(request(`${registry.url}/v2/`)).rejects.toThrow();
    await registry.start();
    if (registry.pid) pids.push(registry.pid);
    const tags = await request(`${registry.url}/v2/team/app/tags/list`);
    expect(((await tags.body.json()) as { tags: string[] }).tags).toEqual(['multi']);
  });
});

describe('startRegistry with delete disabled', () => {
  it('answers 405 UNSUPPORTED to DELETE by digest', async () => {
    const registry = await start({ delete: false });
    await pushLayoutImage(registry, layoutDir, 'single', 'x/y');
    const digest = layout.images.find((i) => i.tag === 'single')!.descriptor.digest;
    const res = await request(`${registry.url}/v2/x/y/manifests/${digest}`, { method: 'DELETE' });
    expect(res.statusCode).toBe(405);
    expect(((await res.body.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('UNSUPPORTED');
  });
});

describe('startRegistry with basic auth', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await start({ auth: 'basic', users: [{ username: 'alice', password: 'wonderland' }] });
  });

  it('answers 401 with a Basic challenge without credentials or with wrong ones', async () => {
    const anonymous = await request(`${registry.url}/v2/`);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm=/);
    await anonymous.body.dump();
    const wrong = await request(`${registry.url}/v2/`, {
      headers: { authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` },
    });
    expect(wrong.statusCode).toBe(401);
    await wrong.body.dump();
  });

  it('answers 200 with the credentials, and skopeo pushes with them', async () => {
    expect(registry.credentials).toEqual({ username: 'alice', password: 'wonderland' });
    const ok = await request(`${registry.url}/v2/`, {
      headers: { authorization: `Basic ${Buffer.from('alice:wonderland').toString('base64')}` },
    });
    expect(ok.statusCode).toBe(200);
    await ok.body.dump();
    await pushLayoutImage(registry, layoutDir, 'single', 'private/app');
    expect(await skopeoListTags(dockerRef(registry, 'private/app'), registry.credentials)).toEqual(['single']);
  });
});

describe('startRegistry with token auth', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await start({
      auth: 'token',
      token: {
        users: [
          { username: 'admin', password: 'pw', access: [{ type: 'repository', name: '*', actions: ['*'] }, { type: 'registry', name: 'catalog', actions: ['*'] }] },
          { username: 'reader', password: 'pw2', access: [{ type: 'repository', name: 'public/*', actions: ['pull'] }] },
        ],
      },
    });
    await pushLayoutImage(registry, layoutDir, 'single', 'public/app');
  });

  it('runs the token flow end to end with raw requests', async () => {
    const ping = await request(`${registry.url}/v2/_catalog`);
    expect(ping.statusCode).toBe(401);
    await ping.body.dump();
    const challenge = parseBearerChallenge(String(ping.headers['www-authenticate']));
    expect(challenge).toMatchObject({ realm: registry.tokenIssuer!.realm, service: 'porthole-test-registry', scope: 'registry:catalog:*' });

    const before = registry.tokenIssuer!.requestCount;
    const tokenUrl = `${challenge!.realm}?service=${challenge!.service}&scope=${encodeURIComponent(challenge!.scope!)}`;
    const tokenRes = await request(tokenUrl, { headers: { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` } });
    expect(tokenRes.statusCode).toBe(200);
    const body = (await tokenRes.body.json()) as { token: string; access_token: string; expires_in: number };
    expect(body.token).toBe(body.access_token);
    expect(body.expires_in).toBe(300);
    expect(registry.tokenIssuer!.requestCount).toBe(before + 1);
    const [header, claims] = body.token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(claims).toMatchObject({ iss: 'porthole-test-issuer', aud: 'porthole-test-registry', access: [{ type: 'registry', name: 'catalog', actions: ['*'] }] });

    const catalog = await request(`${registry.url}/v2/_catalog`, { headers: { authorization: `Bearer ${body.token}` } });
    expect(catalog.statusCode).toBe(200);
    expect(await catalog.body.json()).toEqual({ repositories: ['public/app'] });
  });

  it('grants only what a user may do; anonymous tokens carry no access; wrong passwords get 401', async () => {
    const reader = { username: 'reader', password: 'pw2' };
    const tags = await registryFetch(registry, '/v2/public/app/tags/list', { as: reader });
    expect(tags.status).toBe(200);
    expect(await tags.json()).toEqual({ name: 'public/app', tags: ['single'] });
    const catalog = await registryFetch(registry, '/v2/_catalog', { as: reader });
    expect(catalog.status).toBe(401);
    expect(catalog.headers.get('www-authenticate')).toContain('insufficient_scope');
    await catalog.body?.cancel();
    const anonymous = await registryFetch(registry, '/v2/public/app/tags/list', { as: null });
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    const wrong = await request(`${registry.tokenIssuer!.realm}?service=x`, {
      headers: { authorization: `Basic ${Buffer.from('reader:bad').toString('base64')}` },
    });
    expect(wrong.statusCode).toBe(401);
    await wrong.body.dump();
    expect(registry.tokenIssuer!.requests.at(-1)).toMatchObject({ status: 401 });
  });

  it('loads an OCI layout with untagged manifests through the API', async () => {
    const result = await loadLayout(registry, REGCLIENT_TESTREPO, 'fixture/testrepo');
    expect(result.tags).toContain('v1');
    const res = await registryFetch(registry, `/v2/fixture/testrepo/manifests/${result.manifests[0]}`, { headers: { accept: ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-content-digest')).toBe(result.manifests[0]);
    await res.body?.cancel();
  });
});

describe('cleanup', () => {
  it('stops every registry and leaves no process or temp dir behind', async () => {
    const dirs = started.map((r) => r.rootDir);
    const issuers = started.flatMap((r) => (r.tokenIssuer ? [r.tokenIssuer.certPath] : []));
    await Promise.all(started.map((r) => r.stop()));
    expect(pids.length).toBeGreaterThanOrEqual(started.length);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    for (const path of [...dirs, ...issuers]) expect(existsSync(path)).toBe(false);
  });
});
