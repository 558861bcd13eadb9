/**
 * `POST /api/copy` through the route handler against two real docker-registry 2.8.2 instances (open → Basic):
 * a copy with its referrer, digests checked in the destination registry itself; a copy within one source
 * (mounts); a source name and a registry
 * host as references; refusals (destination without `write: true`, cross-site, no app user, bad input — each
 * before anything is written) and their audit entries; the NDJSON stream's shape, including a final error line.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CopyResponse, CopyStreamLine } from '@/lib/api/types';
import { createHttpRegistry } from '@/lib/registry/http';
import type { Registry } from '@/lib/registry/registry';
import { artifact, image, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { registryDigestOf, registryTagList } from '@/lib/registry/testing/seed-tags';
import type { AuditEntry } from './audit';
import { resetSources, setConfigForTests } from './sources';
import { api } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';

const APP_TOKEN = 'app-token-for-copying-0123456789';
const auth = { authorization: `Bearer ${APP_TOKEN}`, 'content-type': 'application/json' };
const app = image({ seed: 'api copy app', layers: ['api copy layer one', 'api copy layer two'] });
const signature = artifact({ subject: subjectOf(app), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['api copy signature'] });

let open: RunningRegistry;
let baseConfig: ReturnType<typeof configOf>;
let basic: RunningRegistry;
let dir: string;
let auditFile: string;

async function audit(): Promise<AuditEntry[]> {
  const text = await readFile(auditFile, 'utf8').catch(() => '');
  return text.trim() ? text.trim().split('\n').map((line) => JSON.parse(line) as AuditEntry) : [];
}

function post(body: unknown, headers: Record<string, string> = auth, signal?: AbortSignal): Promise<Response> {
  return api('/api/copy', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body), ...(signal ? { signal } : {}) });
}

async function errorOf(response: Response): Promise<{ code: string; message: string; detail?: { field?: string } }> {
  return ((await response.json()) as { errors: { code: string; message: string; detail?: { field?: string } }[] }).errors[0]!;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-api-copy-'));
  auditFile = join(dir, 'audit.jsonl');
  [open, basic] = await Promise.all([startRegistry(), startRegistry({ auth: 'basic' })]);
  const seed = createHttpRegistry({ url: open.url });
  await pushBuilt(seed, 'team/app', app, { tag: 'v1' });
  await pushBuilt(seed, 'team/app', signature);
  await seed.close();
  baseConfig = configOf(
      {
        auditLog: auditFile,
        auth: { tokens: [{ name: 'ci', tokenEnv: 'APP_TOKEN' }] },
        sources: [
          { name: 'staging', url: open.url },
          { name: 'prod', url: basic.url, username: basic.credentials!.username, passwordEnv: 'PROD_PASSWORD', write: true },
          { name: 'prod-ro', url: basic.url, username: basic.credentials!.username, passwordEnv: 'PROD_PASSWORD' },
        ],
      },
      { APP_TOKEN, PROD_PASSWORD: basic.credentials!.password },
  );
  await setConfigForTests(baseConfig);
}, 120_000);

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await Promise.all([open?.stop(), basic?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('POST /api/copy', () => {
  it('copies a tag with its referrer to another registry; the destination serves the same digests; audited', async () => {
    const response = await post({ from: 'staging/team/app:v1', to: 'prod/promoted/app:v1' });
    expect(response.status).toBe(200);
    const result = (await response.json()) as CopyResponse;
    expect(result.digest).toBe(app.manifest.descriptor.digest);
    expect(result.tag).toBe('v1');
    expect(result.referrers).toEqual([signature.manifest.descriptor.digest]);
    expect(result.blobs).toEqual({ sent: app.blobs.length + signature.blobs.length, skipped: 0, mounted: 0 });
    expect(await registryDigestOf(basic, 'promoted/app', 'v1')).toBe(app.manifest.descriptor.digest);
    expect(await registryDigestOf(basic, 'promoted/app', signature.manifest.descriptor.digest)).toBe(signature.manifest.descriptor.digest);
    const entry = (await audit()).at(-1)!;
    expect(entry).toMatchObject({ action: 'copy', user: 'ci', source: 'prod', repository: 'promoted/app', tag: 'v1', result: 'ok' });
    expect(entry).toMatchObject({ from: 'staging/team/app:v1', to: 'prod/promoted/app:v1', digest: app.manifest.descriptor.digest });
    expect(entry.copied).toMatchObject({ manifests: 2, referrers: 1, blobsSent: result.blobs.sent, bytesSent: result.bytesSent });
  });

  it('mounts the blobs when copying within one source, sending none', async () => {
    const response = await post({ from: 'prod/promoted/app:v1', to: 'prod/mounted/app:v1' });
    expect(response.status).toBe(200);
    const result = (await response.json()) as CopyResponse;
    expect(result.blobs).toEqual({ sent: 0, skipped: 0, mounted: app.blobs.length + signature.blobs.length });
    expect(result.bytesSent).toBe(0);
    expect(await registryDigestOf(basic, 'mounted/app', 'v1')).toBe(app.manifest.descriptor.digest);
  });

  it('takes a registry host and TAG@DIGEST as the source, and copies by digest only without a destination tag', async () => {
    const from = `${open.host}/team/app:v1@${app.manifest.descriptor.digest}`;
    const response = await post({ from, to: 'prod/bydigest/app', referrers: false });
    expect(response.status).toBe(200);
    const result = (await response.json()) as CopyResponse;
    expect(result.tag).toBeUndefined();
    expect(result.referrers).toEqual([]);
    expect(await registryDigestOf(basic, 'bydigest/app', app.manifest.descriptor.digest)).toBe(app.manifest.descriptor.digest);
    expect(await registryTagList(basic, 'bydigest/app')).toEqual([]);
  });

  it('refuses a destination without write: true (403 DENIED), writing nothing; audited as denied', async () => {
    const response = await post({ from: 'staging/team/app:v1', to: 'prod-ro/refused/app:v1' });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('DENIED');
    expect(await registryTagList(basic, 'refused/app')).toEqual([]);
    expect((await audit()).at(-1)).toMatchObject({
      action: 'copy',
      user: 'ci',
      result: 'denied',
      source: 'prod-ro',
      repository: 'refused/app',
      tag: 'v1',
      to: 'prod-ro/refused/app:v1',
    });
  });

  it('refuses cross-site requests and requests without an app user, before reading anything', async () => {
    const crossSite = await post({ from: 'staging/team/app:v1', to: 'prod/xsite/app:v1' }, { ...auth, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect((await errorOf(crossSite)).code).toBe('DENIED');
    const otherOrigin = await post({ from: 'staging/team/app:v1', to: 'prod/xsite/app:v1' }, { ...auth, origin: 'https://evil.example' });
    expect(otherOrigin.status).toBe(403);
    const anonymous = await post({ from: 'staging/team/app:v1', to: 'prod/xsite/app:v1' }, { 'content-type': 'application/json' });
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe('UNAUTHORIZED');
    expect(await registryTagList(basic, 'xsite/app')).toEqual([]);
    expect((await audit()).at(-1)).toMatchObject({ action: 'copy', user: 'unauthenticated', result: 'denied' });
  });

  it('answers bad input with 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      ['not json', ''],
      [[], ''],
      [{ to: 'prod/a:v1' }, 'from'],
      [{ from: 'staging/team/app:v1' }, 'to'],
      [{ from: 'staging/team/app', to: 'prod/a:v1' }, 'from'],
      [{ from: 'staging/team/app:v1', to: 'prod/a@sha256:' + '0'.repeat(64) }, 'to'],
      [{ from: 'staging/team/app:v1', to: 'prod/A:v1' }, 'to'],
      [{ from: 'staging/team/app:bad tag', to: 'prod/a:v1' }, 'from'],
      [{ from: 'staging/team/app:v1', to: 'prod/a:v1', referrers: 'yes' }, 'referrers'],
      [{ from: 'staging/team/app:v1', to: 'prod/a:v1', platforms: ['linux'] }, 'platforms'],
      [{ from: 'staging/team/app:v1', to: 'prod/a:v1', platforms: 'linux/amd64' }, 'platforms'],
      [{ from: 'staging/team/app:v1', to: 'prod/a:v1', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const response = await post(body);
      const error = await errorOf(response);
      expect({ body, status: response.status, field: error.detail?.field }).toEqual({ body, status: 400, field });
    }
    const unknownSource = await post({ from: 'nowhere/team/app:v1', to: 'prod/a:v1' });
    expect(unknownSource.status).toBe(404);
    expect(await errorOf(unknownSource)).toMatchObject({ code: 'NAME_UNKNOWN', detail: { field: 'from' } });
    expect(await registryTagList(basic, 'a')).toEqual([]);
  });

  it('streams NDJSON: plan, blob/manifest/progress events, the tag, then one result line', async () => {
    const response = await post({ from: 'staging/team/app:v1', to: 'prod/streamed/app:v2' }, { ...auth, accept: 'application/x-ndjson' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as CopyStreamLine);
    expect(lines[0]).toMatchObject({ type: 'plan', manifests: 2, blobs: app.blobs.length + signature.blobs.length });
    const last = lines.at(-1)!;
    expect(last).toMatchObject({ type: 'result', digest: app.manifest.descriptor.digest, tag: 'v2' });
    expect(lines.at(-2)).toEqual({ type: 'tag', tag: 'v2', digest: app.manifest.descriptor.digest });
    const types = new Set(lines.map((l) => l.type));
    expect([...types].sort()).toEqual(['blob', 'manifest', 'plan', 'progress', 'result', 'tag']);
    expect(lines.filter((l) => l.type === 'manifest')).toHaveLength(2);
    expect(await registryDigestOf(basic, 'streamed/app', 'v2')).toBe(app.manifest.descriptor.digest);
  });

  it('ends the NDJSON stream with an error line when the copy fails after it started', async () => {
    const response = await post({ from: 'staging/team/app:missing', to: 'prod/streamed/app:v3' }, { ...auth, accept: 'application/x-ndjson' });
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as CopyStreamLine);
    expect(lines).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'MANIFEST_UNKNOWN' }) }]);
    expect((await audit()).at(-1)).toMatchObject({ action: 'copy', result: 'error', error: { code: 'MANIFEST_UNKNOWN' } });
  });
});

describe('POST /api/copy when the client goes away', () => {
  it('stops the copy at its next registry request: no tag is written, the attempt is audited, a re-run completes it', async () => {
    // The destination holds the first manifest push until the request is aborted (then lets it go on, to fail
    // on its aborted signal): the client surely leaves mid-copy, after the blobs and before any manifest or tag.
    const real = createHttpRegistry({ url: basic.url, credentials: basic.credentials! });
    let reachedManifests!: () => void;
    const reached = new Promise<void>((resolve) => (reachedManifests = resolve));
    const gated = new Proxy(real, {
      get(target, property, receiver) {
        if (property === 'pushManifest') {
          return async (...args: Parameters<Registry['pushManifest']>) => {
            const signal = args[3]?.signal;
            reachedManifests();
            if (signal && !signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
            return target.pushManifest(...args);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await setConfigForTests(baseConfig, { prod: gated });
    try {
      const client = new AbortController();
      const response = await post({ from: 'staging/team/app:v1', to: 'prod/aborted/app:v1' }, { ...auth, accept: 'application/x-ndjson' }, client.signal);
      expect(response.status).toBe(200);
      await reached;
      client.abort();
      // In-process the body is not cut with the request: whatever it holds, it ends.
      await response.text().catch(() => '');
      await expect.poll(async () => (await audit()).find((e) => e.to === 'prod/aborted/app:v1'), { timeout: 30_000 }).toMatchObject({ action: 'copy', result: 'error' });
      expect(await registryTagList(basic, 'aborted/app')).toEqual([]);
    } finally {
      await setConfigForTests(baseConfig);
      await real.close();
    }
    const again = await post({ from: 'staging/team/app:v1', to: 'prod/aborted/app:v1' });
    expect(again.status).toBe(200);
    const result = (await again.json()) as CopyResponse;
    expect(result.blobs.sent).toBe(0);
    expect(await registryDigestOf(basic, 'aborted/app', 'v1')).toBe(app.manifest.descriptor.digest);
  });
});
