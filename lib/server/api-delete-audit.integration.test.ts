/**
 * Deleting through the route handlers against real distribution 2.8.2 (deletion on, so tags go by the placeholder
 * method): concurrent deletes of one tag (exactly one succeeds, the audit log says so), concurrent tag and
 * manifest deletes in one repository, and the audit trail of every state-changing attempt — deletes refused as
 * invalid input, cross-site or unauthenticated deletes, refused and executed cleanups — with request values
 * recorded safely.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as cleanupRoute from '@/app/api/sources/[source]/cleanup/route';
import type { DeleteManifestResponse } from '@/lib/api/types';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { registryDigestOf, registryTagList, seedTags } from '@/lib/registry/testing/seed-tags';
import { AUDIT_TEXT_LIMIT, type AuditEntry } from './audit';
import { resetSources, setConfigForTests } from './sources';
import { api, ORIGIN } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';

const APP_TOKEN = 'app-token-for-deleting-0123456789';
const auth = { authorization: `Bearer ${APP_TOKEN}` };
let reg: RunningRegistry;
let dir: string;
let auditFile: string;

async function audit(): Promise<AuditEntry[]> {
  const text = await readFile(auditFile, 'utf8').catch(() => '');
  return text.trim() ? text.trim().split('\n').map((line) => JSON.parse(line) as AuditEntry) : [];
}

/** The audit entries written while `action` ran. */
async function auditedDuring(action: () => Promise<unknown>): Promise<AuditEntry[]> {
  const before = (await audit()).length;
  await action();
  return (await audit()).slice(before);
}

const code = async (response: Response) => ((await response.json()) as { errors: { code: string }[] }).errors[0]!.code;

function cleanup(source: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`${ORIGIN}/api/sources/${source}/cleanup`, {
    method: 'POST',
    // A real client always sends Host; state-changing requests need an allowed one.
    headers: { host: new URL(ORIGIN).host, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return cleanupRoute.POST(request, { params: Promise.resolve({ source }) });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-api-delete-'));
  auditFile = join(dir, 'audit.jsonl');
  reg = await startRegistry({ delete: true });
  await setConfigForTests(
    configOf(
      {
        auditLog: auditFile,
        auth: { tokens: [{ name: 'ci', tokenEnv: 'APP_TOKEN' }] },
        sources: [
          { name: 'reg', url: reg.url, delete: true },
          { name: 'ro', url: reg.url },
        ],
      },
      { APP_TOKEN },
    ),
  );
}, 120_000);

afterAll(async () => {
  await setConfigForTests(null);
  await resetSources();
  await reg?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('concurrent deletes through the API', () => {
  for (const parallel of [2, 4]) {
    it(`${parallel} deletes of one tag at once: one 200, the others 404 MANIFEST_UNKNOWN; one ok line in the audit log`, async () => {
      for (let round = 0; round < 4; round++) {
        const repo = `api/same${parallel}-${round}`;
        const seeded = await seedTags(reg, repo, { images: 1, tagsPer: () => 3, seed: `api-same-${parallel}-${round}` });
        const entries = await auditedDuring(async () => {
          const responses = await Promise.all(
            Array.from({ length: parallel }, () => api(`/api/sources/reg/repositories/${repo}/-/tags/t0-0`, { method: 'DELETE', headers: auth })),
          );
          const statuses = responses.map((r) => r.status).sort();
          expect(statuses, `round ${round}`).toEqual([200, ...Array.from({ length: parallel - 1 }, () => 404)]);
          for (const r of responses.filter((x) => x.status === 404)) expect(await code(r)).toBe('MANIFEST_UNKNOWN');
        });
        expect(entries.filter((e) => e.result === 'ok')).toHaveLength(1);
        expect(entries.filter((e) => e.result === 'error' && e.error?.code === 'MANIFEST_UNKNOWN')).toHaveLength(parallel - 1);
        expect(await registryDigestOf(reg, repo, 't0-0')).toBeNull();
        expect(await registryTagList(reg, repo)).toEqual(['t0-1', 't0-2']);
        expect(await registryDigestOf(reg, repo, 't0-1')).toBe(seeded.get('t0-1'));
      }
    }, 300_000);
  }

  it('a manifest delete racing tag deletes of its own and other tags: every tag accounted for once, the others intact', async () => {
    for (let round = 0; round < 4; round++) {
      const repo = `api/race${round}`;
      const seeded = await seedTags(reg, repo, { images: 3, tagsPer: () => 3, seed: `api-race-${round}` });
      const doomed = seeded.get('t1-0')!;
      const tagDeletes = ['t1-0', 't1-1', 't0-0', 't2-2'].map((tag) => api(`/api/sources/reg/repositories/${repo}/-/tags/${tag}`, { method: 'DELETE', headers: auth }));
      const manifestDelete = api(`/api/sources/reg/repositories/${repo}/-/manifests/${doomed}`, { method: 'DELETE', headers: auth });
      const [t10, t11, t00, t22, manifest] = await Promise.all([...tagDeletes, manifestDelete]);
      // Tags of other manifests: always deleted. Tags of the deleted manifest: by whichever came first.
      expect([t00!.status, t22!.status, manifest!.status]).toEqual([200, 200, 200]);
      const reported = ((await manifest!.json()) as DeleteManifestResponse).tags;
      for (const [tag, response] of [['t1-0', t10!], ['t1-1', t11!]] as const) {
        if (response.status === 200) expect(reported, tag).not.toContain(tag);
        else expect([response.status, await code(response), reported.includes(tag)], tag).toEqual([404, 'MANIFEST_UNKNOWN', true]);
      }
      expect(reported).toContain('t1-2');
      expect(await registryTagList(reg, repo)).toEqual(['t0-1', 't0-2', 't2-0', 't2-1']);
      for (const tag of ['t0-1', 't0-2', 't2-0', 't2-1']) expect(await registryDigestOf(reg, repo, tag)).toBe(seeded.get(tag));
      expect(await registryDigestOf(reg, repo, doomed)).toBeNull();
    }
  }, 300_000);
});

describe('the audit log records every state-changing attempt', () => {
  const base = '/api/sources/reg/repositories';

  it('deletes refused as invalid input: refused, with the target as far as it parses', async () => {
    const entries = await auditedDuring(async () => {
      expect((await api(`${base}/api/x/-/tags/-bad`, { method: 'DELETE', headers: auth })).status).toBe(400);
      expect((await api(`${base}/api/x/-/manifests/sha256:nope`, { method: 'DELETE', headers: auth })).status).toBe(400);
      expect((await api(`${base}/UPPER/-/tags/v1`, { method: 'DELETE', headers: auth })).status).toBe(400);
      expect((await api(`${base}/api/x/-/blobs/sha256:${'a'.repeat(64)}`, { method: 'DELETE', headers: auth })).status).toBe(405);
      expect((await api(`${base}/api/x/-/tags`, { method: 'DELETE', headers: auth })).status).toBe(405);
      expect((await api(`/api/sources/nope/repositories/api/x/-/tags/v1`, { method: 'DELETE', headers: auth })).status).toBe(404);
    });
    expect(entries.map((e) => [e.action, e.result, e.error?.code, e.user])).toEqual([
      ['delete-tag', 'refused', 'TAG_INVALID', 'ci'],
      ['delete-manifest', 'refused', 'DIGEST_INVALID', 'ci'],
      ['delete-tag', 'refused', 'NAME_INVALID', 'ci'],
      ['delete', 'refused', 'UNSUPPORTED', 'ci'],
      ['delete-tag', 'refused', 'UNSUPPORTED', 'ci'],
      ['delete-tag', 'refused', 'NAME_UNKNOWN', 'ci'],
    ]);
    expect(entries[0]).toMatchObject({ source: 'reg', repository: 'api/x', tag: '-bad' });
    expect(entries[1]).toMatchObject({ digest: 'sha256:nope' });
    expect(entries[2]).toMatchObject({ repository: 'UPPER', tag: 'v1' });
    expect(entries[5]).toMatchObject({ source: 'nope' });
  });

  it('records request values safely: control characters replaced, long values cut', async () => {
    const long = 'x'.repeat(5000);
    const entries = await auditedDuring(async () => {
      expect((await api(`${base}/api/x/-/tags/evil%0a%7B%22result%22%3A%22ok%22%7D%1b%5B31m`, { method: 'DELETE', headers: auth })).status).toBe(400);
      expect((await api(`${base}/api/x/-/tags/${long}`, { method: 'DELETE', headers: auth })).status).toBe(400);
    });
    const raw = (await readFile(auditFile, 'utf8')).trim().split('\n').slice(-2);
    // No raw control character, and none escaped by JSON either: the fields hold U+FFFD instead.
    // eslint-disable-next-line no-control-regex
    expect(raw.every((line) => !/[\u0000-\u001f\u007f]/.test(line) && !line.includes('"tag":"evil\\n'))).toBe(true);
    expect(entries[0]!.tag).toBe('evil\ufffd{"result":"ok"}\ufffd[31m');
    expect(entries[0]!.result).toBe('refused');
    expect(entries[1]!.tag).toBe(`${'x'.repeat(AUDIT_TEXT_LIMIT)}…[+${5000 - AUDIT_TEXT_LIMIT}]`);
  });

  it('cross-site and unauthenticated deletes: denied', async () => {
    const entries = await auditedDuring(async () => {
      expect((await api(`${base}/api/x/-/tags/v1`, { method: 'DELETE', headers: { ...auth, origin: 'https://evil.example' } })).status).toBe(403);
      expect((await api(`${base}/api/x/-/tags/v1`, { method: 'DELETE' })).status).toBe(401);
      expect((await api(`${base}/api/x/-/tags/-bad`, { method: 'DELETE' })).status).toBe(400);
    });
    expect(entries.map((e) => [e.result, e.error?.code, e.user])).toEqual([
      ['denied', 'DENIED', 'unauthenticated'],
      ['denied', 'UNAUTHORIZED', 'unauthenticated'],
      ['refused', 'TAG_INVALID', 'unauthenticated'],
    ]);
  });

  it('cleanups: refusals (cross-site, read-only source, invalid policy, no user) and executions; dry runs are not state changes', async () => {
    const repo = 'api/cleanup';
    await seedTags(reg, repo, { images: 2, tagsPer: () => 2, seed: 'api-cleanup' });
    const policy = { repositories: [repo], rules: [{ match: '^t0-', keepNewest: 0 }], dryRun: false };
    const entries = await auditedDuring(async () => {
      expect((await cleanup('reg', policy, { ...auth, origin: 'https://evil.example' })).status).toBe(403);
      expect((await cleanup('ro', policy, auth)).status).toBe(403);
      expect((await cleanup('ro', { ...policy, dryRun: true }, auth)).status).toBe(403);
      expect((await cleanup('reg', { ...policy, rules: [{ match: '(' }] }, auth)).status).toBe(400);
      expect((await cleanup('reg', '{not json', auth)).status).toBe(400);
      expect((await cleanup('reg', policy)).status).toBe(401);
      expect((await cleanup('reg', { ...policy, dryRun: true }, auth)).status).toBe(200);
      expect((await cleanup('reg', policy, auth)).status).toBe(200);
    });
    const cleanups = entries.filter((e) => e.action === 'cleanup');
    expect(cleanups.map((e) => [e.result, e.error?.code, e.user, e.source, e.dryRun])).toEqual([
      ['denied', 'DENIED', 'unauthenticated', 'reg', undefined],
      ['denied', 'DENIED', 'ci', 'ro', undefined],
      ['denied', 'DENIED', 'ci', 'ro', undefined],
      ['refused', 'UNSUPPORTED', 'ci', 'reg', undefined],
      ['refused', 'UNSUPPORTED', 'ci', 'reg', undefined],
      ['denied', 'UNAUTHORIZED', 'unauthenticated', 'reg', false],
      ['ok', undefined, 'ci', 'reg', false],
    ]);
    expect(cleanups.at(-1)!.counts).toEqual({ deleted: 2, failed: 0, skipped: 0 });
    expect(entries.filter((e) => e.action === 'delete-tag' && e.result === 'ok').map((e) => e.tag).sort()).toEqual(['t0-0', 't0-1']);
    expect(await registryTagList(reg, repo)).toEqual(['t1-0', 't1-1']);
  }, 120_000);

  it('two cleanup executions of one source at once: the second plans after the first, nothing fails', async () => {
    const repo = 'api/cleanup-twice';
    await seedTags(reg, repo, { images: 3, tagsPer: () => 3, seed: 'api-cleanup-twice' });
    const policy = { repositories: [repo], rules: [{ match: '^t[01]-', keepNewest: 0 }], dryRun: false };
    const [a, b] = await Promise.all([cleanup('reg', policy, auth), cleanup('reg', policy, auth)]);
    const results = [(await a.json()) as { deleted: number; failed: number; ok: boolean }, (await b.json()) as { deleted: number; failed: number; ok: boolean }];
    expect(results.map((r) => r.failed)).toEqual([0, 0]);
    expect(results.map((r) => r.deleted).sort()).toEqual([0, 6]);
    expect(await registryTagList(reg, repo)).toEqual(['t2-0', 't2-1', 't2-2']);
  }, 120_000);
});
