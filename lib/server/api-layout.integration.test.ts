/**
 * The JSON API end to end (route handlers called in-process, as Next.js calls them) against a copy of the
 * regclient test repository as an OCI layout source, a read-only view of the same directory, and a memory
 * source: every endpoint, sorting/filtering/paging, error codes, refusals and the audit log.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DeleteManifestResponse,
  DeleteTagResponse,
  ManifestResponse,
  ReferrerNode,
  ReferrersResponse,
  RepositoriesResponse,
  SourcesResponse,
  TagRow,
  TagsResponse,
} from '@/lib/api/types';
import { digestOf } from '@/lib/registry/testing/digest';
import type { Descriptor } from '@/lib/oci/types';
import { REGCLIENT_EXTERNAL, REGCLIENT_TESTREPO } from '@/lib/registry/testing/fixtures';
import type { AuditEntry } from './audit';
import { resetSources, setConfigForTests } from './sources';
import { api, getJson } from './testing/test-api';
import { configOf } from './testing/test-support';

const REPO = 'fixture/testrepo';
const BASE = `/api/sources/local/repositories/${REPO}/-`;
let root: string;
let auditLog: string;
let tagDigests: Map<string, string>;

async function blobJson<T>(digest: string): Promise<T> {
  return JSON.parse(await readFile(join(REGCLIENT_TESTREPO, 'blobs/sha256', digest.slice(7)), 'utf8')) as T;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'porthole-api-layout-'));
  await cp(REGCLIENT_TESTREPO, join(root, 'fixture/testrepo'), { recursive: true });
  await cp(REGCLIENT_EXTERNAL, join(root, 'fixture/external'), { recursive: true });
  auditLog = join(root, 'logs', 'audit.jsonl');
  const index = JSON.parse(await readFile(join(REGCLIENT_TESTREPO, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  tagDigests = new Map(
    index.manifests
      .filter((m) => m.annotations?.['org.opencontainers.image.ref.name'])
      .map((m) => [m.annotations!['org.opencontainers.image.ref.name']!, m.digest]),
  );
  await setConfigForTests(
    configOf({
      auditLog,
      sources: [
        { name: 'local', kind: 'layout', path: root, delete: true },
        { name: 'ro', kind: 'layout', path: root },
        { name: 'scratch', kind: 'memory', include: ['team/**'] },
      ],
    }),
  );
});

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await rm(root, { recursive: true, force: true });
});

async function allTags(query = ''): Promise<TagRow[]> {
  const rows: TagRow[] = [];
  let last: string | null = null;
  do {
    const sep = query ? '&' : '';
    const page: { status: number; body: TagsResponse } = await getJson<TagsResponse>(`${BASE}/tags?n=4${sep}${query}${last ? `&last=${encodeURIComponent(last)}` : ''}`);
    expect(page.status).toBe(200);
    rows.push(...page.body.tags);
    last = page.body.next;
  } while (last);
  return rows;
}

async function audit(): Promise<AuditEntry[]> {
  const text = await readFile(auditLog, 'utf8').catch(() => '');
  return text.trim() ? text.trim().split('\n').map((line) => JSON.parse(line) as AuditEntry) : [];
}

describe('foundation endpoints', () => {
  it('GET /api/health', async () => {
    const { status, body } = await getJson('/api/health');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', sources: 3 });
  });

  it('GET /api/sources lists sources without paths', async () => {
    const { status, body, text } = await getJson<SourcesResponse>('/api/sources');
    expect(status).toBe(200);
    expect(body.sources.map((s) => [s.name, s.kind, s.delete])).toEqual([
      ['local', 'layout', true],
      ['ro', 'layout', false],
      ['scratch', 'memory', false],
    ]);
    expect(body.sources[1]!.readOnlyReason).toBeTruthy();
    expect(text).not.toContain(root);
  });
});

describe('repositories', () => {
  it('pages the catalog with n/last and filters with q', async () => {
    const first = await getJson<RepositoriesResponse>('/api/sources/local/repositories?n=1');
    expect(first.body).toEqual({ repositories: ['fixture/external'], next: 'fixture/external' });
    const second = await getJson<RepositoriesResponse>(`/api/sources/local/repositories?n=1&last=${first.body.next}`);
    expect(second.body).toEqual({ repositories: ['fixture/testrepo'], next: null });
    const filtered = await getJson<RepositoriesResponse>('/api/sources/local/repositories?q=TEST');
    expect(filtered.body).toEqual({ repositories: ['fixture/testrepo'], next: null });
  });

  it('refuses bad n, bad last and unknown sources', async () => {
    expect((await getJson('/api/sources/local/repositories?n=0')).status).toBe(400);
    const big = await getJson<{ errors: { code: string }[] }>('/api/sources/local/repositories?n=1001');
    expect(big.body.errors[0]!.code).toBe('PAGINATION_NUMBER_INVALID');
    const last = await getJson<{ errors: { code: string }[] }>('/api/sources/local/repositories?last=Bad..Name');
    expect([last.status, last.body.errors[0]!.code]).toEqual([400, 'NAME_INVALID']);
    const unknown = await getJson<{ errors: { code: string }[] }>('/api/sources/nope/repositories');
    expect([unknown.status, unknown.body.errors[0]!.code]).toEqual([404, 'NAME_UNKNOWN']);
  });
});

describe('tags', () => {
  it('lists every tag with details', async () => {
    const rows = await allTags();
    expect(rows.map((r) => r.name)).toEqual([...tagDigests.keys()].sort());
    const byName = new Map(rows.map((r) => [r.name, r]));
    const v1 = byName.get('v1')!;
    expect(v1).toMatchObject({ kind: 'tag', digest: tagDigests.get('v1'), manifestKind: 'index', platforms: ['linux/amd64', 'linux/arm64'] });
    // The index's own attestation entries, apart from referrers.
    expect(v1.indexAttestations?.attestation).toBe(2);
    expect(v1.attached?.attestation).toBeUndefined();
    expect(v1.size).toBeGreaterThan(0);
    const v2 = byName.get('v2')!;
    expect(v2.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    // a1 (sbom) and a2 (signature) are listed in v2's fallback index.
    expect(v2.attached).toMatchObject({ sbom: 1 });
    expect(byName.get(`sha256-${tagDigests.get('v2')!.slice(7)}`)).toMatchObject({ kind: 'referrers-fallback', subjectDigest: tagDigests.get('v2') });
    // regclient's `.meta` tag looks like a digest tag but is an ordinary tag, sharing v3's digest.
    const meta = [...byName.keys()].find((n) => n.endsWith('.meta'))!;
    expect(byName.get(meta)).toMatchObject({ kind: 'tag', digest: tagDigests.get('v3'), sharedWith: ['v3'] });
    expect(byName.get('v3')!.sharedWith).toEqual([meta]);
    // The mirror's "fallback tag" is the mirror itself (not an index): listed, nothing attached from it.
    expect(byName.get('mirror')).toMatchObject({ manifestKind: 'artifact', artifactType: 'application/example.mirror' });
    expect(byName.get('mirror')!.attached).toBeUndefined();
    expect(byName.get('a1')).toMatchObject({ manifestKind: 'artifact', artifactType: 'application/example.sbom' });
  });

  it('filters, sorts and pages across the whole repository', async () => {
    const filtered = await allTags('q=A-');
    expect(filtered.map((r) => r.name)).toEqual(['a-docker', 'a-docker-oci', 'a-example']);
    const versions = await getJson<TagsResponse>(`${BASE}/tags?sort=-name&q=v&n=2`);
    expect(versions.body.tags.map((t) => t.name)).toEqual(['v3', 'v2']);
    expect(versions.body.total).toBe(3);
    const byCreated = await getJson<TagsResponse>(`${BASE}/tags?sort=-created&n=1000`);
    const dated = byCreated.body.tags.filter((t) => t.created).map((t) => Date.parse(t.created!));
    expect(dated.length).toBeGreaterThan(3);
    expect(dated).toEqual(dated.slice().sort((a, b) => b - a));
    expect(byCreated.body.tags.at(-1)!.created).toBeNull();
  });

  it('answers details=false with names and kinds only', async () => {
    const { body } = await getJson<TagsResponse>(`${BASE}/tags?details=false&n=1000`);
    expect(body.total).toBe(tagDigests.size);
    expect(body.tags.every((t) => t.digest === null && t.platforms.length === 0)).toBe(true);
    expect(body.tags.filter((t) => t.kind === 'referrers-fallback').length).toBeGreaterThan(3);
  });

  it('validates the query', async () => {
    for (const [query, code] of [
      ['sort=size', 'UNSUPPORTED'],
      ['n=abc', 'PAGINATION_NUMBER_INVALID'],
      ['last=-x', 'TAG_INVALID'],
      ['details=perhaps', 'UNSUPPORTED'],
    ]) {
      const { status, body } = await getJson<{ errors: { code: string }[] }>(`${BASE}/tags?${query}`);
      expect([status, body.errors[0]!.code]).toEqual([400, code]);
    }
    const unknown = await getJson<{ errors: { code: string }[] }>('/api/sources/local/repositories/fixture/none/-/tags');
    expect([unknown.status, unknown.body.errors[0]!.code]).toEqual([404, 'NAME_UNKNOWN']);
  });
});

describe('manifests', () => {
  it('returns an index with its children, attestations flagged', async () => {
    const { status, body } = await getJson<ManifestResponse>(`${BASE}/manifests/v1`);
    expect(status).toBe(200);
    expect(body.kind).toBe('index');
    expect(body.descriptor.digest).toBe(tagDigests.get('v1'));
    expect(digestOf(new TextEncoder().encode(body.raw))).toBe(tagDigests.get('v1'));
    expect(body.tags).toContain('v1');
    expect(body.children!.map((c) => [c.platform, c.attestation, c.missing?.code])).toEqual([
      ['linux/amd64', false, undefined],
      ['linux/arm64', false, undefined],
      ['unknown/unknown', true, undefined],
      ['unknown/unknown', true, undefined],
    ]);
  });

  it('returns an image with its config summary and layers, by digest', async () => {
    const index = await blobJson<{ manifests: Descriptor[] }>(tagDigests.get('v3')!);
    const child = index.manifests[0]!;
    const { body } = await getJson<ManifestResponse>(`${BASE}/manifests/${child.digest}`);
    expect(body.kind).toBe('image');
    expect(body.config).toMatchObject({ os: 'linux', architecture: 'amd64' });
    const nonEmpty = body.config!.history.filter((h) => !h.emptyLayer);
    expect(nonEmpty.map((h) => h.layer?.digest)).toEqual(body.layers!.map((l) => l.digest));
  });

  it('returns subjects and artifacts', async () => {
    const { body } = await getJson<ManifestResponse>(`${BASE}/manifests/a-docker-oci`);
    expect(body.subject?.digest).toMatch(/^sha256:7e87ffc9/);
    const a1 = await getJson<ManifestResponse>(`${BASE}/manifests/a1`);
    expect(a1.body).toMatchObject({ kind: 'artifact', artifactType: 'application/example.sbom' });
    expect(a1.body.config).toBeUndefined();
  });

  it('maps errors to distribution codes', async () => {
    const cases: [string, number, string][] = [
      [`${BASE}/manifests/nope`, 404, 'MANIFEST_UNKNOWN'],
      [`${BASE}/manifests/sha256:${'0'.repeat(64)}`, 404, 'MANIFEST_UNKNOWN'],
      [`${BASE}/manifests/sha256:xyz`, 400, 'DIGEST_INVALID'],
      [`${BASE}/manifests/-dash`, 400, 'TAG_INVALID'],
      ['/api/sources/local/repositories/Fixture/testrepo/-/manifests/v1', 400, 'NAME_INVALID'],
      ['/api/sources/local/repositories/fixture%2Ftestrepo/-/manifests/v1', 400, 'NAME_INVALID'],
      ['/api/sources/local/repositories/fixture/testrepo/-/nope/v1', 400, 'NAME_INVALID'],
      ['/api/sources/local/repositories/fixture/missing/-/manifests/v1', 404, 'NAME_UNKNOWN'],
      [`${BASE}/tags/v1`, 405, 'UNSUPPORTED'],
      [`${BASE}/manifests`, 405, 'UNSUPPORTED'],
    ];
    for (const [path, status, code] of cases) {
      const response = await getJson<{ errors: { code: string }[] }>(path);
      expect([path, response.status, response.body.errors[0]!.code]).toEqual([path, status, code]);
    }
  });
});

describe('blobs', () => {
  it('streams configs as JSON and layers as octet-stream, with ranges', async () => {
    const image = await blobJson<{ manifests: Descriptor[] }>(tagDigests.get('v1')!);
    const manifest = await blobJson<{ config: Descriptor; layers: Descriptor[] }>(image.manifests[0]!.digest);
    const config = await api(`${BASE}/blobs/${manifest.config.digest}`);
    expect(config.status).toBe(200);
    expect(config.headers.get('content-type')).toContain('application/json');
    expect(config.headers.get('content-length')).toBe(String(manifest.config.size));
    expect(digestOf(new Uint8Array(await config.arrayBuffer()))).toBe(manifest.config.digest);

    const layer = manifest.layers[0]!;
    const whole = await api(`${BASE}/blobs/${layer.digest}`);
    expect(whole.headers.get('content-type')).toBe('application/octet-stream');
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = new Uint8Array(await whole.arrayBuffer());
    expect(bytes.length).toBe(layer.size);

    const part = await api(`${BASE}/blobs/${layer.digest}`, { headers: { range: 'bytes=1-4' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1-4/${layer.size}`);
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([...bytes.slice(1, 5)]);
    const suffix = await api(`${BASE}/blobs/${layer.digest}`, { headers: { range: 'bytes=-3' } });
    expect(suffix.status).toBe(206);
    expect([...new Uint8Array(await suffix.arrayBuffer())]).toEqual([...bytes.slice(-3)]);
    const outside = await api(`${BASE}/blobs/${layer.digest}`, { headers: { range: `bytes=${layer.size + 10}-` } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe(`bytes */${layer.size}`);
  });

  it('answers BLOB_UNKNOWN and DIGEST_INVALID', async () => {
    const missing = await getJson<{ errors: { code: string }[] }>(`${BASE}/blobs/sha256:${'1'.repeat(64)}`);
    expect([missing.status, missing.body.errors[0]!.code]).toEqual([404, 'BLOB_UNKNOWN']);
    const bad = await getJson<{ errors: { code: string }[] }>(`${BASE}/blobs/v1`);
    expect([bad.status, bad.body.errors[0]!.code]).toEqual([400, 'DIGEST_INVALID']);
  });
});

describe('referrers', () => {
  const flatten = (nodes: ReferrerNode[]): ReferrerNode[] => nodes.flatMap((n) => [n, ...flatten(n.referrers)]);

  it('walks the tree with how each referrer was found', async () => {
    const v2 = tagDigests.get('v2')!;
    const { status, body } = await getJson<ReferrersResponse>(`${BASE}/referrers/${v2}?depth=3`);
    expect(status).toBe(200);
    expect(body.subject).toBe(v2);
    const direct = new Map(body.referrers.map((n) => [n.digest, n]));
    expect(direct.get(tagDigests.get('a1')!)).toMatchObject({ artifactType: 'application/example.sbom', kind: 'sbom', foundBy: 'fallback-tag' });
    expect(direct.get(tagDigests.get('a2')!)).toMatchObject({ kind: 'signature', foundBy: 'fallback-tag' });
    // v3's sboms have no fallback tag: only a scan of the layout finds them.
    const v3 = await getJson<ReferrersResponse>(`${BASE}/referrers/${tagDigests.get('v3')}`);
    expect(v3.body.referrers.length).toBe(2);
    expect(v3.body.referrers.every((n) => n.foundBy === 'scan')).toBe(true);
    expect(flatten(body.referrers).every((n) => n.truncated !== 'cycle')).toBe(true);
  });

  it('filters by artifactType at the first level and limits depth', async () => {
    const v2 = tagDigests.get('v2')!;
    const sboms = await getJson<ReferrersResponse>(`${BASE}/referrers/${v2}?artifactType=application/example.sbom&depth=1`);
    expect(sboms.body.referrers.length).toBeGreaterThan(0);
    expect(sboms.body.referrers.every((n) => n.artifactType === 'application/example.sbom' && n.truncated === 'depth')).toBe(true);
    const tooDeep = await getJson<{ errors: { code: string }[] }>(`${BASE}/referrers/${v2}?depth=6`);
    expect(tooDeep.status).toBe(400);
    const loop = await getJson<ReferrersResponse>(`${BASE}/referrers/${tagDigests.get('child')}?depth=5`);
    expect(loop.body.referrers.map((n) => n.digest)).toContain(tagDigests.get('loop'));
  });
});

describe('open', () => {
  it('redirects a reference to the page of the first source serving its host', async () => {
    const tag = await api('/open?ref=local/fixture/testrepo:v1');
    expect(tag.status).toBe(302);
    expect(tag.headers.get('location')).toBe('/s/local/r/fixture/testrepo/-/manifests/v1');
    const digest = `sha256:${'a'.repeat(64)}`;
    expect((await api(`/open?ref=ro/fixture/testrepo@${digest}`)).headers.get('location')).toBe(`/s/ro/r/fixture/testrepo/-/manifests/${digest}`);
    expect((await api('/open?ref=local/fixture/testrepo')).headers.get('location')).toBe('/s/local/r/fixture/testrepo/-/tags');
    expect((await api('/open?ref=local')).headers.get('location')).toBe('/s/local');
    const unknown = await getJson<{ errors: { code: string }[] }>('/open?ref=registry.example.com/team/app:v1');
    expect([unknown.status, unknown.body.errors[0]!.code]).toEqual([404, 'NAME_UNKNOWN']);
    expect((await api('/open')).status).toBe(400);
    expect((await api('/open?ref=local/Bad:v1')).status).toBe(400);
  });
});

describe('deletion', () => {
  const del = (path: string, headers: Record<string, string> = {}) => getJson<unknown>(path, { method: 'DELETE', headers });

  it('refuses on a read-only source with DENIED, and audits the refusal', async () => {
    const { status, body } = await del(`/api/sources/ro/repositories/${REPO}/-/tags/b1`);
    expect(status).toBe(403);
    expect((body as { errors: { code: string }[] }).errors[0]!.code).toBe('DENIED');
    expect((await getJson<ManifestResponse>(`/api/sources/ro/repositories/${REPO}/-/manifests/b1`)).status).toBe(200);
    expect((await audit()).at(-1)).toMatchObject({ action: 'delete-tag', source: 'ro', repository: REPO, tag: 'b1', result: 'denied', user: 'anonymous' });
  });

  it('refuses cross-site requests', async () => {
    const refused: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }];
    for (const headers of refused) {
      const { status } = await del(`${BASE}/tags/b1`, headers);
      expect(status).toBe(403);
    }
    expect((await getJson(`${BASE}/manifests/b1`)).status).toBe(200);
    expect((await audit()).at(-1)).toMatchObject({ result: 'denied', user: 'unauthenticated', error: { code: 'DENIED' } });
  });

  it('deletes one tag, keeps the others on its digest, and audits it', async () => {
    const before = await getJson<TagsResponse>(`${BASE}/tags?n=1000`);
    const meta = before.body.tags.find((t) => t.name.endsWith('.meta'))!;
    const { status, body } = await del(`${BASE}/tags/${meta.name}`, { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' });
    expect(status).toBe(200);
    expect(body as DeleteTagResponse).toEqual({ tag: meta.name, digest: tagDigests.get('v3'), method: 'native', remainingTags: ['v3'] });
    const after = await getJson<TagsResponse>(`${BASE}/tags?n=1000`);
    expect(after.body.tags.map((t) => t.name)).not.toContain(meta.name);
    expect(after.body.tags.find((t) => t.name === 'v3')!.sharedWith).toEqual([]);
    expect((await audit()).at(-1)).toMatchObject({ action: 'delete-tag', tag: meta.name, digest: tagDigests.get('v3'), method: 'native', result: 'ok', remainingTags: ['v3'] });
  });

  it('deletes a manifest with every tag on it, and with its referrers on request', async () => {
    const digest = tagDigests.get('b1')!;
    const byTag = await del(`${BASE}/manifests/b1`);
    expect(byTag.status).toBe(400);
    const { status, body } = await del(`${BASE}/manifests/${digest}`);
    expect(status).toBe(200);
    expect(body as DeleteManifestResponse).toEqual({ deleted: [digest], tags: ['b1'] });
    expect((await getJson(`${BASE}/manifests/b1`)).status).toBe(404);
    expect((await audit()).at(-1)).toMatchObject({ action: 'delete-manifest', digest, result: 'ok', tags: ['b1'], deleted: [digest] });

    const child = tagDigests.get('child')!;
    const cascade = await del(`${BASE}/manifests/${child}?cascade=referrers`);
    expect(cascade.status).toBe(200);
    const result = cascade.body as DeleteManifestResponse;
    expect(result.deleted[0]).toBe(child);
    expect(result.deleted).toContain(tagDigests.get('loop'));
    expect(result.tags).toEqual(expect.arrayContaining(['child', 'loop']));
    const tags = await getJson<TagsResponse>(`${BASE}/tags?n=1000&details=false`);
    expect(tags.body.tags.map((t) => t.name)).not.toContain('loop');
    const again = await del(`${BASE}/manifests/${child}`);
    expect(again.status).toBe(404);
    expect((await audit()).at(-1)).toMatchObject({ result: 'error', error: { code: 'MANIFEST_UNKNOWN' } });
  });

  it('refuses other methods and actions', async () => {
    expect((await del(`${BASE}/blobs/sha256:${'1'.repeat(64)}`)).status).toBe(405);
    expect((await del(`${BASE}/manifests/sha256:${'1'.repeat(64)}?cascade=all`)).status).toBe(400);
    expect((await del(`${BASE}/tags`)).status).toBe(405);
  });
});

describe('memory source with include patterns', () => {
  it('hides repositories outside the patterns', async () => {
    const hidden = await getJson<{ errors: { code: string }[] }>('/api/sources/scratch/repositories/other/app/-/tags');
    expect([hidden.status, hidden.body.errors[0]!.code]).toEqual([404, 'NAME_UNKNOWN']);
    const empty = await getJson<RepositoriesResponse>('/api/sources/scratch/repositories');
    expect(empty.body).toEqual({ repositories: [], next: null });
  });
});
