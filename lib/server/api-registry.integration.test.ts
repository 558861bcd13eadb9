/**
 * The JSON API against real registries (CNCF distribution 2.8.2 from the test harness): Basic auth with
 * deletion enabled, token auth with deletion disabled in the registry, wrong credentials, an unreachable and
 * a hanging registry. Every response is scanned for the configured secrets.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeleteManifestResponse, DeleteTagResponse, ManifestResponse, ReferrersResponse, RepositoriesResponse, SourcesResponse, TagsResponse } from '@/lib/api/types';
import { freePort } from '@/lib/registry/testing/exec';
import { REGCLIENT_TESTREPO } from '@/lib/registry/testing/fixtures';
import { loadLayout } from '@/lib/registry/testing/push-layout-raw';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import type { AuditEntry } from './audit';
import { resetSources, setConfigForTests } from './sources';
import { api } from './testing/test-api';
import { configOf } from './testing/test-support';

const REPO = 'fixture/testrepo';
const BASIC_PASSWORD = 'basic-Pa55word-0f-porthole';
const TOKEN_PASSWORD = 'token-Pa55word-0f-porthole';
const APP_TOKEN = 'app-token-for-deleting-0123456789';
const SECRETS = [
  BASIC_PASSWORD,
  TOKEN_PASSWORD,
  APP_TOKEN,
  Buffer.from(`porthole:${BASIC_PASSWORD}`).toString('base64'),
  Buffer.from(`porthole:${TOKEN_PASSWORD}`).toString('base64'),
];

let basic: RunningRegistry;
let token: RunningRegistry;
let dir: string;
let hanging: Server;
const sockets = new Set<Socket>();
/** Every response body and header seen in this file, for the secret scan. */
const seen: string[] = [];
let tagDigests: Map<string, string>;

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; response: Response }> {
  const response = await api(path, init);
  const text = await response.text();
  seen.push(text, JSON.stringify([...response.headers]));
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: response.status, body, response };
}
const code = (body: unknown) => (body as { errors: { code: string }[] }).errors[0]!.code;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-api-registry-'));
  const user = { username: 'porthole', password: TOKEN_PASSWORD, access: [{ type: 'repository', name: '*', actions: ['*'] }, { type: 'registry', name: 'catalog', actions: ['*'] }] };
  [basic, token] = await Promise.all([
    startRegistry({ auth: 'basic', delete: true, users: [{ username: 'porthole', password: BASIC_PASSWORD }] }),
    startRegistry({ auth: 'token', delete: false, token: { users: [user] } }),
  ]);
  const loaded = await loadLayout(basic, REGCLIENT_TESTREPO, REPO);
  await loadLayout(token, REGCLIENT_TESTREPO, REPO);
  expect(loaded.tags.length).toBeGreaterThan(20);
  const index = JSON.parse(await readFile(join(REGCLIENT_TESTREPO, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
  tagDigests = new Map(index.manifests.filter((m) => m.annotations?.['org.opencontainers.image.ref.name']).map((m) => [m.annotations!['org.opencontainers.image.ref.name']!, m.digest]));

  // A server that accepts connections and never answers: the registry "times out".
  hanging = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const hangingPort = (hanging.address() as { port: number }).port;
  const closedPort = await freePort();

  await setConfigForTests(
    configOf(
      {
        auditLog: join(dir, 'audit.jsonl'),
        auth: { tokens: [{ name: 'ci', tokenEnv: 'APP_TOKEN' }] },
        sources: [
          { name: 'basic', url: basic.url, username: 'porthole', passwordEnv: 'BASIC_PASSWORD', delete: true },
          { name: 'token', url: token.url, usernameEnv: 'TOKEN_USER', password: TOKEN_PASSWORD, delete: true },
          { name: 'token-ro', url: token.url, usernameEnv: 'TOKEN_USER', password: TOKEN_PASSWORD },
          { name: 'wrong', url: basic.url, username: 'porthole', password: 'not-the-password' },
          { name: 'down', url: `http://127.0.0.1:${closedPort}`, retries: 0 },
          { name: 'hangs', url: `http://127.0.0.1:${hangingPort}`, retries: 0, timeoutSeconds: 1 },
        ],
      },
      { BASIC_PASSWORD, TOKEN_USER: 'porthole', APP_TOKEN },
    ),
  );
}, 120_000);

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => (hanging ? hanging.close(() => resolve()) : resolve()));
  await Promise.all([basic?.stop(), token?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe.each(['basic', 'token'])('reading through %s auth', (source) => {
  const base = `/api/sources/${source}/repositories/${REPO}/-`;

  it('lists repositories and tags', async () => {
    const repos = await call(`/api/sources/${source}/repositories`);
    expect(repos.body).toEqual({ repositories: [REPO], next: null });
    const tags = await call(`${base}/tags?n=1000&sort=-name`);
    expect(tags.status).toBe(200);
    const body = tags.body as TagsResponse;
    expect(body.total).toBe(tagDigests.size);
    const v1 = body.tags.find((t) => t.name === 'v1')!;
    expect(v1).toMatchObject({ digest: tagDigests.get('v1'), manifestKind: 'index', platforms: ['linux/amd64', 'linux/arm64'], indexAttestations: { attestation: 2 } });
    expect(body.tags.slice(0, 3).map((t) => t.name)).toEqual(['v3', 'v2', 'v1']);
    const page = await call(`${base}/tags?n=2&q=v&sort=name`);
    expect(page.body).toMatchObject({ tags: [{ name: 'v1' }, { name: 'v2' }], next: 'v2', total: 3 });
  });

  it('reads manifests, blobs and referrers (fallback tags: no referrers API on 2.8.2)', async () => {
    const manifest = await call(`${base}/manifests/v2`);
    const body = manifest.body as ManifestResponse;
    expect(body.kind).toBe('index');
    expect(body.children!.every((c) => !c.missing)).toBe(true);
    const child = await call(`${base}/manifests/${body.children![0]!.descriptor.digest}`);
    const image = child.body as ManifestResponse;
    expect(image.config?.architecture).toBe('amd64');
    const layer = image.layers![0]!;
    const blob = await api(`${base}/blobs/${layer.digest}`, { headers: { range: 'bytes=0-1' } });
    expect(blob.status).toBe(206);
    expect(blob.headers.get('content-range')).toBe(`bytes 0-1/${layer.size}`);
    expect((await blob.arrayBuffer()).byteLength).toBe(2);
    const referrers = await call(`${base}/referrers/${tagDigests.get('v2')}`);
    const tree = referrers.body as ReferrersResponse;
    expect(tree.referrers.map((r) => r.digest)).toEqual(expect.arrayContaining([tagDigests.get('a1'), tagDigests.get('a2')]));
    expect(tree.referrers.every((r) => r.foundBy === 'fallback-tag')).toBe(true);
    expect((await call(`${base}/manifests/nope`)).status).toBe(404);
    const unknownBlob = await call(`${base}/blobs/sha256:${'2'.repeat(64)}`);
    expect([unknownBlob.status, code(unknownBlob.body)]).toEqual([404, 'BLOB_UNKNOWN']);
  });
});

describe('upstream failures', () => {
  it('maps rejected credentials to UNAUTHORIZED', async () => {
    const { status, body } = await call(`/api/sources/wrong/repositories/${REPO}/-/tags`);
    expect([status, code(body)]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('maps an unreachable registry to 502 and a silent one to 504', async () => {
    const down = await call('/api/sources/down/repositories');
    expect([down.status, code(down.body)]).toEqual([502, 'UNAVAILABLE']);
    const slow = await call(`/api/sources/hangs/repositories/${REPO}/-/manifests/v1`);
    expect([slow.status, code(slow.body)]).toEqual([504, 'TIMEOUT']);
  });

  it('shows sources without credentials', async () => {
    const { body } = await call('/api/sources');
    const sources = (body as SourcesResponse).sources;
    expect(sources.find((s) => s.name === 'basic')).toEqual({ name: 'basic', kind: 'http', url: basic.url, host: basic.host, delete: true });
  });
});

describe('deleting on a real registry', () => {
  const base = `/api/sources/basic/repositories/${REPO}/-`;
  const auth = { authorization: `Bearer ${APP_TOKEN}` };
  const audit = async (): Promise<AuditEntry[]> =>
    (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);

  it('needs an authenticated user when app auth is configured', async () => {
    const anonymous = await call(`${base}/tags/b1`, { method: 'DELETE' });
    expect([anonymous.status, code(anonymous.body)]).toEqual([401, 'UNAUTHORIZED']);
    const wrong = await call(`${base}/tags/b1`, { method: 'DELETE', headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } });
    expect(wrong.status).toBe(401);
    expect((await audit()).at(-1)).toMatchObject({ action: 'delete-tag', tag: 'b1', result: 'denied', user: 'unauthenticated' });
  });

  it('deletes only the tag (placeholder method on 2.8.2), keeping the other tag on the digest', async () => {
    const tags = (await call(`${base}/tags?n=1000&details=false`)).body as TagsResponse;
    const meta = tags.tags.find((t) => t.name.endsWith('.meta'))!.name;
    const { status, body } = await call(`${base}/tags/${meta}`, { method: 'DELETE', headers: auth });
    expect(status).toBe(200);
    expect(body as DeleteTagResponse).toEqual({ tag: meta, digest: tagDigests.get('v3'), method: 'placeholder', remainingTags: ['v3'] });
    expect((await call(`${base}/manifests/v3`)).status).toBe(200);
    expect((await call(`${base}/manifests/${meta}`)).status).toBe(404);
    expect((await audit()).at(-1)).toMatchObject({ action: 'delete-tag', user: 'ci', source: 'basic', tag: meta, method: 'placeholder', result: 'ok' });
  });

  it('deletes a manifest with all its tags', async () => {
    const digest = tagDigests.get('b2')!;
    const { status, body } = await call(`${base}/manifests/${digest}`, { method: 'DELETE', headers: auth });
    expect(status).toBe(200);
    expect(body as DeleteManifestResponse).toEqual({ deleted: [digest], tags: ['b2'] });
    const repos = (await call('/api/sources/basic/repositories')).body as RepositoriesResponse;
    expect(repos.repositories).toEqual([REPO]);
    expect((await call(`${base}/manifests/b2`)).status).toBe(404);
  });

  it('reports UNSUPPORTED when the registry has deletion disabled, and DENIED on a read-only source', async () => {
    const disabled = await call(`/api/sources/token/repositories/${REPO}/-/manifests/${tagDigests.get('b3')}`, { method: 'DELETE', headers: auth });
    expect([disabled.status, code(disabled.body)]).toEqual([405, 'UNSUPPORTED']);
    const tag = await call(`/api/sources/token/repositories/${REPO}/-/tags/b3`, { method: 'DELETE', headers: auth });
    expect([tag.status, code(tag.body)]).toEqual([405, 'UNSUPPORTED']);
    expect((await call(`/api/sources/token/repositories/${REPO}/-/manifests/b3`)).status).toBe(200);
    const readOnly = await call(`/api/sources/token-ro/repositories/${REPO}/-/tags/b3`, { method: 'DELETE', headers: auth });
    expect([readOnly.status, code(readOnly.body)]).toEqual([403, 'DENIED']);
    expect((await audit()).at(-1)).toMatchObject({ source: 'token-ro', result: 'denied', user: 'ci' });
  });

  it('never let a secret out', async () => {
    expect(seen.length).toBeGreaterThan(20);
    const everything = seen.join('\n') + (await readFile(join(dir, 'audit.jsonl'), 'utf8'));
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  });
});
