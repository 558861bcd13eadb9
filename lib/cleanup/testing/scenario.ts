/**
 * The cleanup test scenario, shared by the unit tests (memory registry) and the integration test (real
 * docker-registry): a repository of releases, aliases sharing digests, dated CI tags (one multi-platform,
 * one signed), an undated nightly, and a second repository the policy also matches.
 *
 * With {@link SCENARIO_POLICY} at {@link SCENARIO_NOW} the expected plan is spelled out in
 * {@link SCENARIO_EXPECTED}; the tests check it, and the byte count, against what was pushed.
 */
import type { Descriptor } from '@/lib/oci/types';
import type { RegistryWriter } from '@/lib/registry/registry';
import type { CleanupPolicy } from '../types';
import { pushImage, pushReferrer, type SeededImage } from './seed';

export const SCENARIO_NOW = '2026-03-01T00:00:00Z';
export const REPO = 'team/app';
export const OTHER_REPO = 'team/tools';
export const UNMATCHED_REPO = 'other/app';

export const SCENARIO_POLICY: CleanupPolicy = {
  repositories: ['team/*'],
  rules: [
    { match: '^ci-', keepNewest: 3, olderThanDays: 30 },
    { match: '^nightly-', olderThanDays: 7 },
  ],
  protect: ['^latest$', '^v\\d+\\.\\d+\\.\\d+$'],
  dryRun: true,
  now: SCENARIO_NOW,
};

export interface Scenario {
  images: Record<string, SeededImage & { repository: string }>;
  signature: Descriptor;
}

const BASE = 'base layer shared by every image';

/** Pushes the scenario into `registry`. */
export async function seedScenario(registry: RegistryWriter): Promise<Scenario> {
  const images: Scenario['images'] = {};
  const push = async (key: string, repo: string, tags: string[], created: string | null, extra: { layers?: string[]; platforms?: { os: string; architecture: string }[] } = {}) => {
    const image = await pushImage(registry, repo, {
      tags,
      created,
      seed: key,
      layers: extra.layers ?? [BASE, `unique ${key}`],
      ...(extra.platforms ? { platforms: extra.platforms } : {}),
    });
    images[key] = { ...image, repository: repo };
  };
  // Releases, protected by semver; aliases share their digests.
  await push('v1.0.0', REPO, ['v1.0.0', 'stable'], '2025-06-01T00:00:00Z');
  await push('v1.1.0', REPO, ['v1.1.0', 'latest'], '2025-09-01T00:00:00Z');
  // Dated CI tags. ci-3 shares its digest with pr-42 (no rule matches pr-42); ci-4 is a two-platform index;
  // ci-2 and ci-5 share a layer that only they use.
  await push('ci-1', REPO, ['ci-1'], '2025-12-01T00:00:00Z');
  await push('ci-2', REPO, ['ci-2'], '2025-12-15T00:00:00Z', { layers: [BASE, 'ci-2 and ci-5 share this', 'unique ci-2'] });
  await push('ci-3', REPO, ['ci-3', 'pr-42'], '2026-01-01T00:00:00Z');
  await push('ci-4', REPO, ['ci-4'], '2026-01-10T00:00:00Z', {
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ],
  });
  await push('ci-5', REPO, ['ci-5', 'ci-5-debug'], '2026-01-20T00:00:00Z', { layers: [BASE, 'ci-2 and ci-5 share this', 'unique ci-5'] });
  await push('ci-6', REPO, ['ci-6'], '2026-02-05T00:00:00Z');
  await push('ci-7', REPO, ['ci-7'], '2026-02-15T00:00:00Z');
  await push('ci-8', REPO, ['ci-8'], '2026-02-25T00:00:00Z');
  await push('ci-9', REPO, ['ci-9'], '2026-02-27T00:00:00Z');
  // A nightly without a creation time: never old enough for olderThanDays.
  await push('nightly-x', REPO, ['nightly-x'], null);
  // The second matching repository and one the pattern does not match.
  await push('tools-ci-1', OTHER_REPO, ['ci-1'], '2025-11-01T00:00:00Z');
  await push('tools-ci-2', OTHER_REPO, ['ci-2'], '2025-11-02T00:00:00Z');
  await push('tools-ci-3', OTHER_REPO, ['ci-3'], '2025-11-03T00:00:00Z');
  await push('tools-ci-4', OTHER_REPO, ['ci-4'], '2026-02-28T00:00:00Z');
  await push('other-ci-1', UNMATCHED_REPO, ['ci-1'], '2025-01-01T00:00:00Z');
  const signature = await pushReferrer(registry, REPO, images['ci-1']!.descriptor, 'application/vnd.example.signature', 'signature of ci-1');
  return { images, signature };
}

/** What the plan must say for the scenario. */
export const SCENARIO_EXPECTED = {
  /** `repo:tag`, in plan order. */
  delete: [
    `${REPO}:ci-1`,
    `${REPO}:ci-2`,
    `${REPO}:ci-3`,
    `${REPO}:ci-4`,
    `${REPO}:ci-5`,
    `${REPO}:ci-5-debug`,
    `${OTHER_REPO}:ci-1`,
  ],
  keep: {
    [`${REPO}:ci-6`]: 'recent',
    [`${REPO}:ci-7`]: 'newest',
    [`${REPO}:ci-8`]: 'newest',
    [`${REPO}:ci-9`]: 'newest',
    [`${REPO}:latest`]: 'protected',
    [`${REPO}:nightly-x`]: 'no-created',
    [`${REPO}:pr-42`]: 'no-rule',
    [`${REPO}:stable`]: 'no-rule',
    [`${REPO}:v1.0.0`]: 'protected',
    [`${REPO}:v1.1.0`]: 'protected',
    [`${OTHER_REPO}:ci-2`]: 'newest',
    [`${OTHER_REPO}:ci-3`]: 'newest',
    [`${OTHER_REPO}:ci-4`]: 'newest',
  } as Record<string, string>,
  /** Image keys whose manifests end up without tags (ci-3 keeps pr-42). */
  untagged: ['ci-1', 'ci-2', 'ci-4', 'ci-5', 'tools-ci-1'],
};

/** Bytes the scenario's plan frees: per repository, every manifest and blob of the untagged images that no kept image uses. */
export function expectedReclaim(scenario: Scenario): { bytes: number; blobs: number; digests: Set<string> } {
  const digestsOf = (image: SeededImage) => [image.descriptor, ...image.children, ...image.blobs];
  let bytes = 0;
  let blobs = 0;
  const digests = new Set<string>();
  for (const repository of new Set(Object.values(scenario.images).map((i) => i.repository))) {
    const inRepo = Object.entries(scenario.images).filter(([, image]) => image.repository === repository);
    const held = new Set(inRepo.filter(([key]) => !SCENARIO_EXPECTED.untagged.includes(key)).flatMap(([, image]) => digestsOf(image).map((d) => d.digest)));
    const freed = new Map<string, number>();
    for (const [key, image] of inRepo) {
      if (!SCENARIO_EXPECTED.untagged.includes(key)) continue;
      for (const d of digestsOf(image)) if (!held.has(d.digest)) freed.set(d.digest, d.size);
    }
    for (const [digest, size] of freed) {
      bytes += size;
      digests.add(digest);
    }
    blobs += freed.size;
  }
  return { bytes, blobs, digests };
}
