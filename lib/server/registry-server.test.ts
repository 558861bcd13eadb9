/**
 * The `/v2` wiring: configuration fields `serve`, `write` and `registryServer.anonymousPull`, Basic auth with
 * app tokens as passwords, the audit log of pushes and deletes, and the sources' write/delete wrappers.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '@/lib/registry/testing/digest';
import { MediaType } from '@/lib/oci/media-types';
import { image } from '@/lib/registry/testing/build';
import { ConfigError } from './config';
import { serveRegistry } from './registry-server';
import { resetSources, setConfigForTests } from './sources';
import { configOf } from '@/lib/server/testing/test-support';
import { getJson } from '@/lib/server/testing/test-api';
import type { ManifestResponse, TagsResponse } from '@/lib/api/types';

let dir: string;
const savedDataDir = process.env.PORTHOLE_DATA_DIR;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-v2-wiring-'));
  // Upload staging files go under the data dir: keep them out of the working copy.
  process.env.PORTHOLE_DATA_DIR = join(dir, 'data');
});
afterAll(async () => {
  if (savedDataDir === undefined) delete process.env.PORTHOLE_DATA_DIR;
  else process.env.PORTHOLE_DATA_DIR = savedDataDir;
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

const TOKEN = 'token-of-alice-0123456789';
const basic = (password: string) => ({ authorization: 'Basic ' + Buffer.from(`alice:${password}`).toString('base64') });

function call(method: string, path: string, init: { body?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<Response> {
  const body = init.body as BodyInit | undefined;
  // Sent the way a local docker or skopeo client does: to a loopback host, which may change registries.
  const headers = { host: '127.0.0.1:3000', ...init.headers };
  const request = new Request(`http://127.0.0.1:3000${path}`, { method, headers, ...(body !== undefined ? { body, duplex: 'half' } : {}) } as RequestInit);
  return serveRegistry(request);
}

describe('configuration of the registry server', () => {
  it('accepts serve and write, with defaults of not served and not writable', () => {
    const config = configOf({
      sources: [
        { name: 'a', kind: 'memory' },
        { name: 'b', kind: 'memory', serve: 'read' },
        { name: 'c', kind: 'memory', serve: 'write', write: true },
        { name: 'd', kind: 'memory', serve: false, write: true },
      ],
      registryServer: { anonymousPull: true },
    });
    expect(config.sources.map((s) => [s.serve, s.write])).toEqual([
      [undefined, false],
      ['read', false],
      ['write', true],
      [undefined, true],
    ]);
    expect(config.registryServer).toEqual({ anonymousPull: true });
  });

  it('names the field and the problem for bad values', () => {
    const fail = (source: Record<string, unknown>, top: Record<string, unknown> = {}) => () => configOf({ sources: [{ name: 's', kind: 'memory', ...source }], ...top });
    expect(fail({ serve: 'yes' })).toThrow(/sources\[0\] \("s"\): field "serve": must be false, "read" or "write"/);
    expect(fail({ serve: 'write' })).toThrow(/field "serve": "write" needs write: true on the source/);
    expect(fail({ write: 'yes' })).toThrow(/field "write": must be true or false/);
    expect(fail({}, { registryServer: { anonymous: true } })).toThrow(ConfigError);
    expect(fail({}, { registryServer: { anonymousPull: 1 } })).toThrow(/registryServer: field "anonymousPull": must be true or false/);
  });
});

describe('/v2 through the configuration', () => {
  async function configure(extra: Record<string, unknown> = {}) {
    const auditLog = join(dir, `audit-${Math.random().toString(36).slice(2)}.jsonl`);
    await setConfigForTests(
      configOf({
        auditLog,
        auth: { tokens: [{ name: 'alice', token: TOKEN }] },
        sources: [
          { name: 'hidden', kind: 'memory' },
          { name: 'pub', kind: 'memory', serve: 'read' },
          { name: 'push', kind: 'memory', serve: 'write', write: true },
          { name: 'rw', kind: 'memory', serve: 'write', write: true, delete: true },
        ],
        ...extra,
      }),
    );
    return auditLog;
  }

  it('asks for Basic auth, takes an app token as the password, and refuses a wrong one', async () => {
    await configure();
    const anonymous = await call('GET', '/v2/');
    expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="Porthole"']);
    expect((await call('GET', '/v2/', { headers: basic(TOKEN) })).status).toBe(200);
    expect((await call('GET', '/v2/', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await call('GET', '/v2/', { headers: basic('not-the-token') })).status).toBe(401);
  });

  it('serves only sources with serve, lists them in the catalog, and lets anonymous pulls of read sources through when configured', async () => {
    await configure({ registryServer: { anonymousPull: true } });
    const hidden = await call('GET', '/v2/hidden/app/tags/list', { headers: basic(TOKEN) });
    expect(hidden.status).toBe(404);
    const catalog = await call('GET', '/v2/_catalog', { headers: basic(TOKEN) });
    expect(catalog.status).toBe(200);
    expect((await call('GET', '/v2/pub/app/tags/list')).status).toBe(404); // anonymous, allowed: NAME_UNKNOWN
    expect((await call('GET', '/v2/push/app/tags/list')).status).toBe(401); // a write source always needs a user
  });

  it('pushes need a user and write: true, deletes also delete: true, and every change is audited', async () => {
    const auditLog = await configure();
    const built = image({ seed: 'wiring' });
    const pushAll = async (source: string) => {
      for (const b of built.blobs) {
        const r = await call('POST', `/v2/${source}/team/app/blobs/uploads/?digest=${b.descriptor.digest}`, { body: b.bytes, headers: basic(TOKEN) });
        if (r.status !== 201) return r;
      }
      return call('PUT', `/v2/${source}/team/app/manifests/v1`, { body: built.manifest.bytes, headers: { ...basic(TOKEN), 'content-type': MediaType.OciManifest } });
    };
    expect((await pushAll('pub')).status).toBe(403);
    expect((await pushAll('push')).status).toBe(201);
    const noDelete = await call('DELETE', '/v2/push/team/app/manifests/v1', { headers: basic(TOKEN) });
    expect(noDelete.status).toBe(405);
    expect((await pushAll('rw')).status).toBe(201);
    expect((await call('DELETE', '/v2/rw/team/app/manifests/v1', { headers: basic(TOKEN) })).status).toBe(202);
    const anonymousBlob = digestOf(new TextEncoder().encode('anon'));
    expect((await call('POST', `/v2/rw/team/app/blobs/uploads/?digest=${anonymousBlob}`, { body: 'anon' })).status).toBe(401);
    const entries = (await readFile(auditLog, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = entries.map((e) => `${e.action} ${e.source} ${e.user} ${e.result}`);
    expect(summary).toContain('push-blob pub alice denied');
    expect(summary).toContain('push-manifest push alice ok');
    expect(summary).toContain('delete-tag push alice error');
    expect(summary).toContain('delete-tag rw alice ok');
    expect(entries.find((e) => e.action === 'push-manifest' && e.result === 'ok')).toMatchObject({ repository: 'team/app', tag: 'v1' });
  });

  it('forgets what the views read of a config or manifest deleted through /v2, as after a delete through the API', async () => {
    await configure();
    const built = image({
      seed: 'forget-after-v2-delete',
      platform: { os: 'linux', architecture: 'arm64' },
      config: { created: '2024-03-01T00:00:00Z', architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, history: [] },
    });
    for (const b of built.blobs) {
      expect((await call('POST', `/v2/rw/team/app/blobs/uploads/?digest=${b.descriptor.digest}`, { body: b.bytes, headers: basic(TOKEN) })).status).toBe(201);
    }
    const pushed = await call('PUT', '/v2/rw/team/app/manifests/v1', { body: built.manifest.bytes, headers: { ...basic(TOKEN), 'content-type': MediaType.OciManifest } });
    expect(pushed.status).toBe(201);
    const view = async () => {
      const tags = await getJson<TagsResponse>('/api/sources/rw/repositories/team/app/-/tags', { headers: basic(TOKEN) });
      const page = await getJson<ManifestResponse>('/api/sources/rw/repositories/team/app/-/manifests/v1', { headers: basic(TOKEN) });
      const row = tags.body.tags[0]!;
      return { row: { created: row.created, platforms: row.platforms, error: row.error?.code }, config: page.body.config !== undefined, configError: page.body.configError?.code };
    };
    expect(await view()).toEqual({ row: { created: '2024-03-01T00:00:00Z', platforms: ['linux/arm64'], error: undefined }, config: true, configError: undefined });

    // The config goes, the manifest naming it stays: both views now say it is missing, not what they read before.
    const config = built.blobs[0]!.descriptor.digest;
    expect((await call('DELETE', `/v2/rw/team/app/blobs/${config}`, { headers: basic(TOKEN) })).status).toBe(202);
    expect(await view()).toEqual({ row: { created: null, platforms: [], error: 'BLOB_UNKNOWN' }, config: false, configError: 'BLOB_UNKNOWN' });

    expect((await call('DELETE', `/v2/rw/team/app/manifests/${built.manifest.descriptor.digest}`, { headers: basic(TOKEN) })).status).toBe(202);
    const gone = await getJson('/api/sources/rw/repositories/team/app/-/manifests/' + built.manifest.descriptor.digest, { headers: basic(TOKEN) });
    expect(gone.status).toBe(404);
  });

  it('refuses changes from another site', async () => {
    await configure();
    const response = await call('POST', '/v2/rw/team/app/blobs/uploads/', { headers: { ...basic(TOKEN), origin: 'https://evil.example' } });
    expect(response.status).toBe(403);
  });
});
