import { beforeEach, describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { collect } from '@/lib/registry/iter';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { buildPlan, type PlanContext } from './build-plan';
import { executeCleanup, type DeleteTag, type ExecuteContext } from './executor';
import { registryTagRows } from './testing/rows';
import { OTHER_REPO, REPO, SCENARIO_EXPECTED, SCENARIO_POLICY, UNMATCHED_REPO, expectedReclaim, seedScenario, type Scenario } from './testing/scenario';
import { pushImage } from './testing/seed';
import type { CleanupEvent, CleanupPolicy } from './types';

let registry: Registry;
let scenario: Scenario;

beforeEach(async () => {
  registry = createMemoryRegistry();
  scenario = await seedScenario(registry);
});

function planContext(): PlanContext {
  return { source: 'mem', registry, listTagRows: registryTagRows(registry) };
}

function executeContext(deleteTag?: DeleteTag, onEvent?: (e: CleanupEvent) => void | Promise<void>): ExecuteContext {
  return {
    ...planContext(),
    kind: 'memory',
    deleteTag: deleteTag ?? ((repo, tag, options) => registry.deleteTag(repo, tag, options)),
    ...(onEvent ? { onEvent } : {}),
  };
}

async function snapshot(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const repo of [REPO, OTHER_REPO, UNMATCHED_REPO]) out[repo] = await collect(registry.listTags(repo));
  return out;
}

const key = (x: { repository: string; tag: string }) => `${x.repository}:${x.tag}`;
const executing: CleanupPolicy = { ...SCENARIO_POLICY, dryRun: false };

describe('buildPlan', () => {
  it('plans exactly the expected deletions, keeps with reasons, untagged manifests and referrers', async () => {
    const plan = await buildPlan(planContext(), SCENARIO_POLICY);
    expect(plan.source).toBe('mem');
    expect(plan.now).toBe('2026-03-01T00:00:00.000Z');
    expect(plan.repositories).toEqual([REPO, OTHER_REPO]);
    expect(plan.errors).toEqual([]);
    expect(plan.delete.map(key)).toEqual(SCENARIO_EXPECTED.delete);
    expect(Object.fromEntries(plan.keep.map((k) => [key(k), k.reason]))).toEqual(SCENARIO_EXPECTED.keep);
    const ci1 = plan.delete.find((d) => key(d) === `${REPO}:ci-1`)!;
    expect(ci1.digest).toBe(scenario.images['ci-1']!.descriptor.digest);
    expect(ci1.created).toBe('2025-12-01T00:00:00Z');

    expect(plan.untagged.map((u) => u.digest).sort()).toEqual(SCENARIO_EXPECTED.untagged.map((k) => scenario.images[k]!.descriptor.digest).sort());
    expect(plan.untagged.find((u) => u.digest === scenario.images['ci-5']!.descriptor.digest)!.tags).toEqual(['ci-5', 'ci-5-debug']);
    expect(plan.referrers).toEqual([
      {
        repository: REPO,
        subject: scenario.images['ci-1']!.descriptor.digest,
        via: 'referrer',
        digest: scenario.signature.digest,
        artifactType: 'application/vnd.example.signature',
      },
    ]);
  });

  it('counts reclaimable bytes per repository, shared layers once, kept layers never', async () => {
    const plan = await buildPlan(planContext(), SCENARIO_POLICY);
    const expected = expectedReclaim(scenario);
    expect(expected.bytes).toBeGreaterThan(0);
    expect(plan.reclaimableBytes).toBe(expected.bytes);
    // other/app is outside the policy and may link the same blobs: the figure is an upper bound, and says why.
    expect(plan.reclaim).toEqual({ blobs: expected.blobs, exact: true, warnings: [], upperBound: true, otherRepositories: { count: 1, names: [UNMATCHED_REPO] } });
  });

  it('calls the reclaimable figure exact when every repository of the source is in the plan', async () => {
    const plan = await buildPlan(planContext(), { ...SCENARIO_POLICY, repositories: ['team/*', UNMATCHED_REPO] });
    expect(plan.reclaim.upperBound).toBe(false);
    expect(plan.reclaim).not.toHaveProperty('otherRepositories');
  });

  it('changes nothing (dry run)', async () => {
    const before = await snapshot();
    await buildPlan(planContext(), SCENARIO_POLICY);
    expect(await snapshot()).toEqual(before);
  });

  it('names repositories that could not be listed and plans the rest', async () => {
    const plan = await buildPlan(planContext(), { ...SCENARIO_POLICY, repositories: ['team/*', 'missing/repo'] });
    expect(plan.errors).toEqual([{ repository: 'missing/repo', error: expect.objectContaining({ code: 'NAME_UNKNOWN' }) }]);
    expect(plan.delete.map(key)).toEqual(SCENARIO_EXPECTED.delete);
  });

  it('uses the clock when the policy has no now', async () => {
    const { now: _now, ...policy } = SCENARIO_POLICY;
    const plan = await buildPlan({ ...planContext(), clock: () => new Date('2030-01-01T00:00:00Z') }, policy);
    expect(plan.now).toBe('2030-01-01T00:00:00.000Z');
    // Years later, ci-6 is old too.
    expect(plan.delete.map(key)).toContain(`${REPO}:ci-6`);
  });
});

describe('executeCleanup', () => {
  it('deletes exactly the plan, streams progress, and a second run plans nothing', async () => {
    const before = await snapshot();
    const events: CleanupEvent[] = [];
    const result = await executeCleanup(executeContext(undefined, (e) => void events.push(e)), { policy: executing });

    expect(result.ok).toBe(true);
    expect(result.stopped).toBe(false);
    expect(result.deleted).toBe(SCENARIO_EXPECTED.delete.length);
    expect(result.items.map((i) => `${key(i)} ${i.status} ${i.method}`)).toEqual(SCENARIO_EXPECTED.delete.map((k) => `${k} deleted native`));

    const after = await snapshot();
    const removed = Object.entries(before).flatMap(([repo, tags]) => tags.filter((t) => !after[repo]!.includes(t)).map((t) => `${repo}:${t}`));
    expect(removed.sort()).toEqual([...SCENARIO_EXPECTED.delete].sort());
    // Protections hold; aliases of deleted tags stay.
    for (const tag of ['latest', 'v1.0.0', 'v1.1.0', 'stable', 'pr-42']) expect(after[REPO]).toContain(tag);
    // Deleting a tag removes only the tag: ci-3's manifest is still there under pr-42.
    expect((await registry.resolveTag(REPO, 'pr-42')).digest).toBe(scenario.images['ci-3']!.descriptor.digest);

    expect(events[0]!.type).toBe('plan');
    expect(events.filter((e) => e.type === 'item')).toHaveLength(SCENARIO_EXPECTED.delete.length);
    expect(events.at(-1)).toEqual({ type: 'result', result });
    expect(result.untagged.map((u) => u.digest).sort()).toEqual(result.plan.untagged.map((u) => u.digest).sort());
    expect(result.gc.kind).toBe('memory');

    const again = await executeCleanup(executeContext(), { policy: executing });
    expect(again.plan.delete).toEqual([]);
    expect(again.items).toEqual([]);
    expect(await snapshot()).toEqual(after);
  });

  it('stops at the first failure: that item failed, the rest skipped, nothing outside the plan touched', async () => {
    const before = await snapshot();
    let calls = 0;
    const flaky: DeleteTag = async (repo, tag, options) => {
      calls++;
      if (calls === 3) throw new RegistryError('UNAVAILABLE', 'the registry is not reachable');
      return registry.deleteTag(repo, tag, options);
    };
    const result = await executeCleanup(executeContext(flaky), { policy: executing });
    expect(result.ok).toBe(false);
    expect(result.stopped).toBe(true);
    expect(result.items.map((i) => i.status)).toEqual(['deleted', 'deleted', 'failed', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(result.items[2]).toMatchObject({ tag: 'ci-3', error: { code: 'UNAVAILABLE' }, reason: 'the registry is not reachable' });
    expect(result.items[3]!.reason).toMatch(/^not attempted: stopped after a failure \(team\/app:ci-3: /);
    expect(calls).toBe(3);
    const after = await snapshot();
    expect(after[REPO]).toEqual(before[REPO]!.filter((t) => t !== 'ci-1' && t !== 'ci-2'));
    expect(after[OTHER_REPO]).toEqual(before[OTHER_REPO]);
    // The untagged list only names manifests this run really untagged.
    expect(result.untagged.map((u) => u.tags[0]).sort()).toEqual(['ci-1', 'ci-2']);

    // Running again finishes the job.
    const rest = await executeCleanup(executeContext(), { policy: executing });
    expect(rest.ok).toBe(true);
    expect(rest.items.map(key)).toEqual(SCENARIO_EXPECTED.delete.filter((k) => k !== `${REPO}:ci-1` && k !== `${REPO}:ci-2`));
  });

  it('only deletes what the preview confirmed', async () => {
    const preview = await buildPlan(planContext(), SCENARIO_POLICY);
    // Between preview and confirmation: an old CI tag is pushed, and ci-2 is re-pointed.
    await pushImage(registry, REPO, { tags: ['ci-0'], created: '2025-01-01T00:00:00Z', seed: 'late' });
    await pushImage(registry, REPO, { tags: ['ci-2'], created: '2025-12-16T00:00:00Z', seed: 'rebuilt' });
    const expectList = preview.delete.map(({ repository, tag, digest }) => ({ repository, tag, digest }));
    const result = await executeCleanup(executeContext(), { policy: executing, expect: expectList });

    const byTag = Object.fromEntries(result.items.map((i) => [key(i), i]));
    expect(byTag[`${REPO}:ci-0`]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/not in the confirmed preview/) });
    // ci-2 now points elsewhere: the new digest is not confirmed, the confirmed one is no longer planned.
    expect(result.items.filter((i) => key(i) === `${REPO}:ci-2`).map((i) => i.reason)).toEqual([
      expect.stringMatching(/not in the confirmed preview/),
      expect.stringMatching(/no longer planned/),
    ]);
    expect(result.deleted).toBe(SCENARIO_EXPECTED.delete.length - 1);
    const tags = await collect(registry.listTags(REPO));
    expect(tags).toContain('ci-0');
    expect(tags).toContain('ci-2');
  });

  it('leaves a tag alone when it moved after planning', async () => {
    const onEvent = async (event: CleanupEvent) => {
      // Right after planning, someone re-points ci-1 to a new build.
      if (event.type === 'plan') await pushImage(registry, REPO, { tags: ['ci-1'], created: '2025-12-01T00:00:00Z', seed: 'rebuilt ci-1' });
    };
    const result = await executeCleanup(executeContext(undefined, onEvent), { policy: executing });
    const item = result.items.find((i) => key(i) === `${REPO}:ci-1`)!;
    expect(item.status).toBe('skipped');
    expect(item.reason).toMatch(/^now points at sha256:[0-9a-f]{64}, not the planned digest/);
    expect(await collect(registry.listTags(REPO))).toContain('ci-1');
    expect(result.ok).toBe(true);
  });

  it('reports a tag deleted meanwhile as already gone', async () => {
    const onEvent = async (event: CleanupEvent) => {
      if (event.type === 'plan') await registry.deleteTag(REPO, 'ci-2');
    };
    const result = await executeCleanup(executeContext(undefined, onEvent), { policy: executing });
    expect(result.items.find((i) => key(i) === `${REPO}:ci-2`)).toMatchObject({ status: 'skipped', reason: 'already gone' });
    expect(result.ok).toBe(true);
  });

  it('a tag deleted between its check and its delete (another cleanup, the page) is skipped, and the run goes on', async () => {
    // The first deletion finds its tag gone at the last moment: the delete answers MANIFEST_UNKNOWN.
    let first = true;
    const racing: DeleteTag = async (repo, tag, options) => {
      if (first) {
        first = false;
        await registry.deleteTag(repo, tag, options);
      }
      return registry.deleteTag(repo, tag, options);
    };
    const result = await executeCleanup(executeContext(racing), { policy: executing });
    expect(result.items.filter((i) => i.status === 'skipped' && i.reason === 'already gone (deleted meanwhile)')).toHaveLength(1);
    expect([result.failed, result.stopped, result.ok]).toEqual([0, false, true]);
    expect(result.deleted).toBe(result.plan.delete.length - 1);
  });

  it('reports unexpected errors without their internals, or as mapped by the caller', async () => {
    const broken: DeleteTag = async () => {
      throw new Error('ENOENT /srv/secret/path');
    };
    const plain = await executeCleanup(executeContext(broken), { policy: executing });
    expect(plain.items[0]).toMatchObject({ status: 'failed', error: { code: 'UNKNOWN', message: 'internal error' } });
    const mapped = await executeCleanup(
      { ...executeContext(broken), mapError: () => new RegistryError('UNAVAILABLE', 'the registry is not reachable') },
      { policy: executing },
    );
    expect(mapped.items[0]).toMatchObject({ status: 'failed', error: { code: 'UNAVAILABLE' } });
  });

  it('marks a cancelled run as failed at the point of cancellation', async () => {
    const controller = new AbortController();
    const onEvent = (event: CleanupEvent) => {
      if (event.type === 'item' && event.index === 0) controller.abort();
    };
    const result = await executeCleanup({ ...executeContext(undefined, onEvent), signal: controller.signal }, { policy: executing });
    expect(result.items.map((i) => i.status)).toEqual(['deleted', 'failed', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(result.items[1]!.reason).toBe('the cleanup was cancelled');
  });
});
