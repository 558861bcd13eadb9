/**
 * Deletes racing each other in one repository, against real distribution 2.8.2 with deletion enabled (no tag
 * delete, so tags go by the placeholder method; protocol.md §5.2.1): the same tag deleted several times at
 * once, hundreds of tag deletes 20 at a time over shared and distinct digests, manifest deletes racing tag
 * deletes. Every outcome is checked directly against the registry, not through the client under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { mapConcurrent } from '@/lib/registry/iter';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { registryDigestOf, registryTagList, seedTags } from '@/lib/registry/testing/seed-tags';
import { createHttpRegistry, type HttpRegistry } from './index';

let reg: RunningRegistry;
const clients: HttpRegistry[] = [];

function client(): HttpRegistry {
  const r = createHttpRegistry({ url: reg.url, retries: { max: 2, baseDelayMs: 20 } });
  clients.push(r);
  return r;
}

beforeAll(async () => {
  reg = await startRegistry({ delete: true });
});

afterAll(async () => {
  for (const r of clients.splice(0)) await r.close();
  await reg?.stop();
});

type Outcome = { ok: true } | { ok: false; error: unknown };

/** Runs every task with at most `limit` in flight and returns every outcome (none aborts the others). */
async function runAll(tasks: (() => Promise<unknown>)[], limit: number): Promise<Outcome[]> {
  const outcomes = new Array<Outcome>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        await tasks[i]!();
        outcomes[i] = { ok: true };
      } catch (error) {
        outcomes[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return outcomes;
}

const describeError = (o: Outcome) => (o.ok ? 'ok' : isRegistryError(o.error) ? `${o.error.code} ${o.error.message} (status ${o.error.status})` : String(o.error));

describe('the same tag deleted several times at once', () => {
  for (const parallel of [2, 4]) {
    it(`${parallel} at once: exactly one ok, the others MANIFEST_UNKNOWN, the tag gone and its sibling intact`, async () => {
      const r = client();
      for (let round = 0; round < 8; round++) {
        const repo = `same/p${parallel}r${round}`;
        const seeded = await seedTags(reg, repo, { images: 2, tagsPer: () => 2, seed: `same-${parallel}-${round}` });
        const outcomes = await runAll(
          Array.from({ length: parallel }, () => () => r.deleteTag(repo, 't0-0')),
          parallel,
        );
        const ok = outcomes.filter((o) => o.ok);
        expect(ok.length, `round ${round}: ${outcomes.map(describeError).join(' | ')}`).toBe(1);
        for (const o of outcomes) if (!o.ok) expect(isRegistryError(o.error, 'MANIFEST_UNKNOWN'), describeError(o)).toBe(true);
        expect(await registryDigestOf(reg, repo, 't0-0')).toBeNull();
        for (const tag of ['t0-1', 't1-0', 't1-1']) expect(await registryDigestOf(reg, repo, tag), tag).toBe(seeded.get(tag));
        expect(await registryTagList(reg, repo)).toEqual(['t0-1', 't1-0', 't1-1']);
      }
    }, 300_000);
  }
});

describe('many tag deletes in one repository', () => {
  it('200 deletes, 20 in flight, over shared and distinct digests, 5 times: no failure, every other tag intact', async () => {
    const r = client();
    for (let run = 0; run < 5; run++) {
      const repo = `bulk/run${run}`;
      // 100 images: a third with one tag, the others with 2–4 tags (shared digests): 290 tags.
      const seeded = await seedTags(reg, repo, { images: 100, tagsPer: (i) => (i % 3 === 0 ? 1 : 2 + (i % 3)), seed: `bulk-${run}` });
      const tags = [...seeded.keys()];
      // Every tag of the single-tag images, and a deterministic mix of the others, 200 in all.
      const chosen = new Set(tags.filter((t) => Number(t.slice(1).split('-')[0]) % 3 === 0));
      for (let i = 0; chosen.size < 200; i += 7) chosen.add(tags[i % tags.length]!);
      const selected = [...chosen];
      const started = Date.now();
      const outcomes = await runAll(
        selected.map((tag) => () => r.deleteTag(repo, tag)),
        20,
      );
      const failures = outcomes.map((o, i) => [selected[i], describeError(o)]).filter(([, d]) => d !== 'ok');
      expect(failures, `run ${run}`).toEqual([]);
      const kept = tags.filter((t) => !chosen.has(t)).sort();
      expect(await registryTagList(reg, repo), `run ${run}`).toEqual(kept);
      const digests = await mapConcurrent(tags, 8, (tag) => registryDigestOf(reg, repo, tag));
      const expected = tags.map((tag) => (chosen.has(tag) ? null : seeded.get(tag)));
      expect(digests, `run ${run}`).toEqual(expected);
      console.log(`run ${run}: 200 tag deletes in ${Date.now() - started} ms`);
    }
  }, 600_000);
});

describe('manifest deletes racing each other and tag deletes', () => {
  it('two deletes of one manifest at once: one reports every tag, the other MANIFEST_UNKNOWN', async () => {
    const r = client();
    for (let round = 0; round < 5; round++) {
      const repo = `manifest/twice${round}`;
      const seeded = await seedTags(reg, repo, { images: 2, tagsPer: () => 3, seed: `twice-${round}` });
      const digest = seeded.get('t0-0')!;
      const outcomes = await runAll([() => r.deleteManifest(repo, digest), () => r.deleteManifest(repo, digest)], 2);
      expect(outcomes.filter((o) => o.ok), outcomes.map(describeError).join(' | ')).toHaveLength(1);
      const failed = outcomes.find((o) => !o.ok)!;
      expect(isRegistryError(!failed.ok && failed.error, 'MANIFEST_UNKNOWN'), describeError(failed)).toBe(true);
      expect(await registryTagList(reg, repo)).toEqual(['t1-0', 't1-1', 't1-2']);
    }
  }, 300_000);

  it('manifest deletes amid 20 tag deletes: every tag accounted for exactly once, the rest intact', async () => {
    const r = client();
    for (let round = 0; round < 3; round++) {
      const repo = `manifest/amid${round}`;
      const seeded = await seedTags(reg, repo, { images: 12, tagsPer: (i) => 1 + (i % 3), seed: `amid-${round}` });
      const doomed = [seeded.get('t0-0')!, seeded.get('t4-0')!];
      const tagTargets = [...seeded.keys()].filter((_, i) => i % 2 === 0).slice(0, 20);
      const removedByTag: string[] = [];
      const removedByManifest: string[] = [];
      const tasks = [
        ...doomed.map((d) => async () => removedByManifest.push(...(await r.deleteManifest(repo, d)).tags)),
        ...tagTargets.map((tag) => async () => {
          try {
            await r.deleteTag(repo, tag);
            removedByTag.push(tag);
          } catch (error) {
            // Only a tag of a deleted manifest may be gone before its own delete.
            if (!isRegistryError(error, 'MANIFEST_UNKNOWN') || !doomed.includes(seeded.get(tag)!)) throw error;
          }
        }),
      ];
      const outcomes = await runAll(tasks, 20);
      expect(outcomes.filter((o) => !o.ok).map(describeError)).toEqual([]);
      const gone = [...removedByTag, ...removedByManifest];
      expect(new Set(gone).size, 'no tag removed twice').toBe(gone.length);
      const expectedGone = [...seeded.keys()].filter((t) => tagTargets.includes(t) || doomed.includes(seeded.get(t)!));
      expect(gone.sort()).toEqual(expectedGone.sort());
      const kept = [...seeded.keys()].filter((t) => !expectedGone.includes(t)).sort();
      expect(await registryTagList(reg, repo)).toEqual(kept);
      for (const tag of kept) expect(await registryDigestOf(reg, repo, tag)).toBe(seeded.get(tag));
      for (const d of doomed) expect(await registryDigestOf(reg, repo, d)).toBeNull();
    }
  }, 300_000);
});
