/**
 * Cleanup against a real registry (distribution 2.8.2, `docker-registry`), seeded with a repository of
 * releases, aliases sharing digests and dated CI tags (./testing/scenario.ts), through the whole stack: the
 * API route, the server's sources, tags service and audited delete service, the HTTP backend, and the CLI
 * as cron runs it. The registry's own tag lists (plain `GET /v2/<repo>/tags/list`) are the judge.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runScript, type ScriptRun } from '@/lib/testing/run-script';
import { POST } from '@/app/api/sources/[source]/cleanup/route';
import { createHttpRegistry } from '@/lib/registry/http';
import { registryFetch } from '@/lib/registry/testing/registry-fetch';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { checkConfig } from '@/lib/server/config';
import { setConfigForTests } from '@/lib/server/sources';
import { executeSourceCleanup } from './service';
import { OTHER_REPO, REPO, SCENARIO_EXPECTED, SCENARIO_POLICY, UNMATCHED_REPO, expectedReclaim, seedScenario, type Scenario } from './testing/scenario';
import type { CleanupEvent, CleanupPlan, CleanupResult } from './types';

const REPOS = [REPO, OTHER_REPO, UNMATCHED_REPO];

let dir: string;
let main: RunningRegistry;
let flaky: RunningRegistry;
let scenario: Scenario;
const auditLog = () => join(dir, 'audit.log');

/** The registry's own answer, sorted: `repo:tag` for every repository of the scenario. */
async function listing(registry: RunningRegistry): Promise<string[]> {
  const out: string[] = [];
  for (const repo of REPOS) {
    const res = await registryFetch(registry, `/v2/${repo}/tags/list`);
    const body = (await res.json()) as { tags: string[] | null };
    for (const tag of body.tags ?? []) out.push(`${repo}:${tag}`);
  }
  return out.sort();
}

async function seed(registry: RunningRegistry): Promise<Scenario> {
  const client = createHttpRegistry({ url: registry.url });
  try {
    return await seedScenario(client);
  } finally {
    await client.close();
  }
}

function post(source: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`http://localhost:3000/api/sources/${source}/cleanup`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    // Host as a real client sends it: state-changing requests need a configured (here loopback) host.
    headers: { 'content-type': 'application/json', host: 'localhost:3000', ...headers },
  });
  return POST(request, { params: Promise.resolve({ source }) });
}

const key = (x: { repository: string; tag: string }) => `${x.repository}:${x.tag}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-cleanup-it-'));
  [main, flaky] = await Promise.all([startRegistry(), startRegistry()]);
  [scenario] = await Promise.all([seed(main), seed(flaky)]);
  const config = checkConfig(
    {
      sources: [
        { name: 'reg', kind: 'http', url: main.url, delete: true },
        { name: 'ro', kind: 'http', url: main.url },
        { name: 'flaky', kind: 'http', url: flaky.url, delete: true },
      ],
      auditLog: auditLog(),
    },
    join(dir, 'porthole.config.yaml'),
    dir,
  );
  await setConfigForTests(config);
});

afterAll(async () => {
  await setConfigForTests(null);
  await Promise.all([main?.stop(), flaky?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('cleanup against docker-registry 2.8.2', () => {
  let before: string[];
  let plan: CleanupPlan;

  it('dry run: the plan is exactly right and nothing changes', async () => {
    before = await listing(main);
    const fallbackTag = `sha256-${scenario.images['ci-1']!.descriptor.digest.slice(7)}`;
    // The HTTP backend maintains the referrers fallback tag (2.8.2 has no referrers API).
    expect(before).toContain(`${REPO}:${fallbackTag}`);

    const res = await post('reg', SCENARIO_POLICY);
    expect(res.status).toBe(200);
    plan = (await res.json()) as CleanupPlan;

    expect(plan.errors).toEqual([]);
    expect(plan.repositories).toEqual([REPO, OTHER_REPO]);
    expect(plan.delete.map(key)).toEqual(SCENARIO_EXPECTED.delete);
    for (const d of plan.delete) {
      const image = Object.values(scenario.images).find((i) => i.repository === d.repository && i.descriptor.digest === d.digest);
      expect(image, key(d)).toBeDefined();
    }
    expect(Object.fromEntries(plan.keep.map((k) => [key(k), k.reason]))).toEqual({ ...SCENARIO_EXPECTED.keep, [`${REPO}:${fallbackTag}`]: 'artifact-tag' });
    expect(plan.untagged.map((u) => u.digest).sort()).toEqual(SCENARIO_EXPECTED.untagged.map((k) => scenario.images[k]!.descriptor.digest).sort());
    // The signature of ci-1, found through the fallback tag, and the fallback tag itself.
    expect(plan.referrers).toEqual([
      expect.objectContaining({ repository: REPO, via: 'referrer', digest: scenario.signature.digest, subject: scenario.images['ci-1']!.descriptor.digest }),
      expect.objectContaining({ repository: REPO, via: 'tag', tag: fallbackTag, subject: scenario.images['ci-1']!.descriptor.digest }),
    ]);
    const expected = expectedReclaim(scenario);
    expect(plan.reclaimableBytes).toBe(expected.bytes);
    // other/app is in the registry but not in the policy: it may link the same blobs, so the figure is an upper bound.
    expect(plan.reclaim).toEqual({ blobs: expected.blobs, exact: true, warnings: [], upperBound: true, otherRepositories: { count: 1, names: [UNMATCHED_REPO] } });

    expect(await listing(main)).toEqual(before);
  });

  it('refuses read-only sources, invalid policies and cross-site execution', async () => {
    const ro = await post('ro', SCENARIO_POLICY);
    expect(ro.status).toBe(403);
    expect(((await ro.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('DENIED');

    const bad = await post('reg', { ...SCENARIO_POLICY, rules: [{ match: '^ci-(', keepNewest: 1 }] });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: { code: string; message: string; detail: { errors: { field: string }[] } }[] };
    expect(body.errors[0]!.code).toBe('UNSUPPORTED');
    expect(body.errors[0]!.detail.errors.map((e) => e.field)).toEqual(['rules[0].match']);
    expect((await post('reg', '{nope')).status).toBe(400);

    const cross = await post('reg', { ...SCENARIO_POLICY, dryRun: false }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(cross.status).toBe(403);
    expect(await listing(main)).toEqual(before);
  });

  it('executes exactly the plan (streamed), protections hold, every deletion is audited', async () => {
    const res = await post('reg', { ...SCENARIO_POLICY, dryRun: false, expect: plan.delete.map(({ repository, tag, digest }) => ({ repository, tag, digest })) }, { accept: 'application/x-ndjson' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const events = (await res.text()).trim().split('\n').map((line) => JSON.parse(line) as CleanupEvent);
    expect(events[0]!.type).toBe('plan');
    expect(events.filter((e) => e.type === 'item')).toHaveLength(SCENARIO_EXPECTED.delete.length);
    const last = events.at(-1)!;
    expect(last.type).toBe('result');
    const result = (last as { result: CleanupResult }).result;
    expect(result.ok).toBe(true);
    // distribution 2.8.2 cannot delete a tag natively: the backend re-points it at a placeholder.
    expect(result.items.map((i) => `${key(i)} ${i.status} ${i.method}`)).toEqual(SCENARIO_EXPECTED.delete.map((k) => `${k} deleted placeholder`));
    expect(result.gc.kind).toBe('distribution');
    expect(result.gc.commands.join('\n')).toContain('garbage-collect');

    const after = await listing(main);
    expect(before.filter((t) => !after.includes(t))).toEqual([...SCENARIO_EXPECTED.delete].sort());
    expect(after.filter((t) => !before.includes(t))).toEqual([]);
    for (const tag of ['latest', 'v1.0.0', 'v1.1.0', 'stable', 'pr-42', 'nightly-x']) expect(after).toContain(`${REPO}:${tag}`);

    const audit = (await readFile(auditLog(), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; source: string; repository: string; tag: string; result: string; method: string });
    const deletions = audit.filter((e) => e.source === 'reg' && e.action === 'delete-tag');
    expect(deletions.map((e) => `${e.repository}:${e.tag} ${e.result} ${e.method}`)).toEqual(SCENARIO_EXPECTED.delete.map((k) => `${k} ok placeholder`));
  });

  it('the untagged manifests are what garbage collection frees: everything counted is eligible', async () => {
    const gc = await main.garbageCollect({ dryRun: true, deleteUntagged: true });
    const eligible = new Set(gc.blobs);
    const expected = expectedReclaim(scenario);
    for (const digest of expected.digests) expect(eligible.has(digest), digest).toBe(true);
  });

  it('a second run plans nothing and deletes nothing', async () => {
    const after = await listing(main);
    const res = await post('reg', { ...SCENARIO_POLICY, dryRun: false });
    const result = (await res.json()) as CleanupResult;
    expect(result.plan.delete).toEqual([]);
    expect(result.items).toEqual([]);
    expect(result.ok).toBe(true);
    expect(await listing(main)).toEqual(after);
  });

  it('a registry stopped mid-run leaves a clear report and nothing outside the plan deleted', async () => {
    const before = await listing(flaky);
    const onEvent = async (event: CleanupEvent) => {
      if (event.type === 'item' && event.index === 2) await flaky.halt();
    };
    const result = await executeSourceCleanup('flaky', { policy: { ...SCENARIO_POLICY, dryRun: false } }, 'tester', { onEvent });
    expect(result.ok).toBe(false);
    expect(result.stopped).toBe(true);
    expect(result.items.map((i) => i.status)).toEqual(['deleted', 'deleted', 'deleted', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(result.items[3]!.error?.code).toMatch(/UNAVAILABLE|TIMEOUT/);
    expect(result.items[4]!.reason).toMatch(/^not attempted: stopped after a failure/);

    await flaky.start();
    const after = await listing(flaky);
    const removed = before.filter((t) => !after.includes(t));
    expect(removed).toEqual(SCENARIO_EXPECTED.delete.slice(0, 3).sort());
    expect(after.filter((t) => !before.includes(t))).toEqual([]);

    // Running again once the registry is back finishes the plan.
    const rest = await executeSourceCleanup('flaky', { policy: { ...SCENARIO_POLICY, dryRun: false } }, 'tester');
    expect(rest.ok).toBe(true);
    expect(rest.items.map(key)).toEqual(SCENARIO_EXPECTED.delete.slice(3));
  });
});

/** Runs the CLI as cron would: `node --conditions=react-server --import tsx scripts/cleanup.ts …`. */
function cli(args: string[]): Promise<ScriptRun> {
  return runScript('scripts/cleanup.ts', args);
}

describe('cleanup CLI', () => {
  let registry: RunningRegistry;
  let configPath: string;
  let policyPath: string;

  beforeAll(async () => {
    registry = await startRegistry();
    await seed(registry);
    configPath = join(dir, 'cli.config.yaml');
    policyPath = join(dir, 'policy.json');
    await writeFile(configPath, stringify({ sources: [{ name: 'cron', kind: 'http', url: registry.url, delete: true }], auditLog: join(dir, 'cli-audit.log') }));
    await writeFile(policyPath, JSON.stringify({ ...SCENARIO_POLICY, dryRun: false }));
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('prints the plan as a table and deletes nothing without --execute', async () => {
    const before = await listing(registry);
    const run = await cli(['--config', configPath, '--source', 'cron', '--policy', policyPath]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`DELETE (${SCENARIO_EXPECTED.delete.length} tags)`);
    expect(run.stdout).toMatch(/REPOSITORY\s+TAG\s+DIGEST\s+CREATED\s+AGE\s+RULES/);
    expect(run.stdout).toMatch(/team\/app\s+ci-1\s+sha256:[0-9a-f]{12}\s+2025-12-01T00:00:00Z\s+90d\s+rules\[0\]/);
    expect(run.stdout).toMatch(/team\/app\s+latest\s+protected/);
    expect(run.stdout).toContain('Dry run: nothing was deleted');
    expect(await listing(registry)).toEqual(before);
  });

  it('exits 2 on an invalid policy, naming the field', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ repositories: ['team/*'], rules: [{ match: '[', keepNewest: 1 }] }));
    const run = await cli(['--config', configPath, '--source', 'cron', '--policy', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('rules[0].match: is not a valid regular expression');
    const usage = await cli(['--source', 'cron']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--policy is required');
  });

  it('applies the plan with --execute, then exits 1 when the registry is down', async () => {
    const before = await listing(registry);
    const run = await cli(['--config', configPath, '--source', 'cron', '--policy', policyPath, '--execute']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`[1/${SCENARIO_EXPECTED.delete.length}] deleted team/app:ci-1 (placeholder)`);
    expect(run.stdout).toContain(`${SCENARIO_EXPECTED.delete.length} deleted, 0 skipped, 0 failed`);
    expect(run.stdout).toContain('garbage-collect');
    const after = await listing(registry);
    expect(before.filter((t) => !after.includes(t))).toEqual([...SCENARIO_EXPECTED.delete].sort());

    await registry.halt();
    const down = await cli(['--config', configPath, '--source', 'cron', '--policy', policyPath, '--execute']);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/error: team\/\*: (UNAVAILABLE|TIMEOUT)/);
  });
});
