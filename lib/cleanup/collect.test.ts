import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { collect } from '@/lib/registry/iter';
import { createLayoutRegistry } from '@/lib/registry/layout';
import type { Registry } from '@/lib/registry/registry';
import { executeCleanup, type ExecuteContext } from './executor';
import { registryTagRows } from './testing/rows';
import { REPO, SCENARIO_EXPECTED, SCENARIO_POLICY, seedScenario, type Scenario } from './testing/scenario';
import { pushImage } from './testing/seed';
import type { CleanupEvent } from './types';

let dir: string;
let registry: Registry;
let scenario: Scenario;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-cleanup-'));
  registry = createLayoutRegistry(dir);
  scenario = await seedScenario(registry);
});

afterEach(async () => {
  await registry.close();
  await rm(dir, { recursive: true, force: true });
});

function context(overrides: Partial<ExecuteContext> = {}): ExecuteContext {
  return {
    source: 'layout',
    kind: 'layout',
    registry,
    listTagRows: registryTagRows(registry),
    deleteTag: (repo, tag, options) => registry.deleteTag(repo, tag, options),
    deleteManifest: (repo, digest, options) => registry.deleteManifest(repo, digest, options),
    ...overrides,
  };
}

async function exists(what: 'manifest' | 'blob', repo: string, digest: Digest): Promise<boolean> {
  try {
    if (what === 'manifest') await registry.resolveManifest(repo, digest);
    else await registry.resolveBlob(repo, digest);
    return true;
  } catch (error) {
    if (isRegistryError(error, 'MANIFEST_UNKNOWN') || isRegistryError(error, 'BLOB_UNKNOWN')) return false;
    throw error;
  }
}

describe('layout sources: Porthole collects the manifests a cleanup leaves without tags', () => {
  it('deletes them by digest and frees their blobs, keeping everything a kept tag uses', async () => {
    const events: CleanupEvent[] = [];
    const result = await executeCleanup(context({ onEvent: (e) => void events.push(e) }), { policy: { ...SCENARIO_POLICY, dryRun: false } });
    expect(result.ok).toBe(true);
    expect(result.deleted).toBe(SCENARIO_EXPECTED.delete.length);
    expect(result.collected.map((c) => c.status)).toEqual(SCENARIO_EXPECTED.untagged.map(() => 'deleted'));
    expect(events.filter((e) => e.type === 'collect')).toHaveLength(SCENARIO_EXPECTED.untagged.length);
    expect(result.gc.kind).toBe('layout');
    expect(result.gc.message).toContain(`deleted ${SCENARIO_EXPECTED.untagged.length} of the ${SCENARIO_EXPECTED.untagged.length} manifests`);

    const freed = new Set<Digest>();
    for (const key of SCENARIO_EXPECTED.untagged) {
      const image = scenario.images[key]!;
      expect(await exists('manifest', image.repository, image.descriptor.digest)).toBe(false);
      for (const child of image.children) expect(await exists('manifest', image.repository, child.digest)).toBe(false);
      for (const blob of image.blobs) freed.add(`${image.repository}@${blob.digest}`);
    }
    for (const [key, image] of Object.entries(scenario.images)) {
      if (SCENARIO_EXPECTED.untagged.includes(key)) continue;
      expect(await exists('manifest', image.repository, image.descriptor.digest)).toBe(true);
      for (const blob of image.blobs) {
        expect(await exists('blob', image.repository, blob.digest)).toBe(true);
        freed.delete(`${image.repository}@${blob.digest}`);
      }
    }
    // What no kept image uses is gone (e.g. ci-1's own layer); the base layer every image shares stays.
    expect(freed.size).toBeGreaterThan(0);
    for (const entry of freed) {
      const [repo, digest] = entry.split('@') as [string, string];
      expect(await exists('blob', repo, digest)).toBe(false);
    }
  });

  it('leaves a manifest a kept index still lists', async () => {
    const release = await pushImage(registry, 'lay/app', {
      tags: ['release'],
      created: '2026-01-01T00:00:00Z',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
    });
    const child = release.children[0]!;
    // An old CI tag pointing at the amd64 image of the kept index.
    const bytes = (await registry.getManifest('lay/app', child.digest)).bytes;
    await registry.pushManifest('lay/app', bytes, child.mediaType, { tag: 'ci-amd64' });
    const result = await executeCleanup(context(), {
      policy: { repositories: ['lay/app'], rules: [{ match: '^ci-', keepNewest: 0 }], protect: [], dryRun: false },
    });
    expect(result.items.map((i) => `${i.tag} ${i.status}`)).toEqual(['ci-amd64 deleted']);
    expect(result.plan.reclaimableBytes).toBe(0);
    expect(result.collected).toEqual([{ repository: 'lay/app', digest: child.digest, status: 'skipped', reason: 'still listed by a kept index: left alone' }]);
    expect(await exists('manifest', 'lay/app', child.digest)).toBe(true);
    expect((await registry.resolveTag('lay/app', 'release')).digest).toBe(release.descriptor.digest);
  });

  it('leaves a manifest that got a tag again', async () => {
    const onEvent = async (event: CleanupEvent) => {
      // After ci-1's tag is deleted, someone tags the same image again.
      if (event.type === 'item' && event.item.tag === 'ci-1' && event.item.repository === REPO) {
        const bytes = (await registry.getManifest(REPO, scenario.images['ci-1']!.descriptor.digest)).bytes;
        await registry.pushManifest(REPO, bytes, 'application/vnd.oci.image.manifest.v1+json', { tag: 'rescued' });
      }
    };
    const result = await executeCleanup(context({ onEvent }), { policy: { ...SCENARIO_POLICY, dryRun: false } });
    const ci1 = result.collected.find((c) => c.digest === scenario.images['ci-1']!.descriptor.digest)!;
    expect(ci1).toMatchObject({ status: 'skipped', reason: 'has a tag again: left alone' });
    expect(await collect(registry.listTags(REPO))).toContain('rescued');
    expect(await exists('manifest', REPO, scenario.images['ci-1']!.descriptor.digest)).toBe(true);
  });

  it('stops collecting at the first failure and reports it', async () => {
    let calls = 0;
    const result = await executeCleanup(
      context({
        deleteManifest: async (repo, digest, options) => {
          if (++calls === 2) throw new RegistryError('UNAVAILABLE', 'disk unavailable');
          return registry.deleteManifest(repo, digest, options);
        },
      }),
      { policy: { ...SCENARIO_POLICY, dryRun: false } },
    );
    expect(result.ok).toBe(false);
    expect(result.stopped).toBe(true);
    expect(result.collected.map((c) => c.status)).toEqual(['deleted', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(result.collected[1]!.error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(result.gc.message).toContain('deleted 1 of the 5 manifests');
  });

  it('collects nothing for other source kinds', async () => {
    const result = await executeCleanup(context({ kind: 'http' }), { policy: { ...SCENARIO_POLICY, dryRun: false } });
    expect(result.collected).toEqual([]);
    expect(result.gc.kind).toBe('distribution');
    expect(result.gc.message).toContain('5 manifests are now without tags');
    expect(await exists('manifest', REPO, scenario.images['ci-1']!.descriptor.digest)).toBe(true);
  });
});
