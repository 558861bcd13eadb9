import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { resetSources, setConfigForTests } from '@/lib/server/sources';
import { configOf } from '@/lib/server/testing/test-support';
import { executeSourceCleanup, planSourceCleanup } from './service';
import { pushImage } from './testing/seed';
import type { CleanupPolicy } from './types';

const POLICY: CleanupPolicy = { repositories: ['team/app'], rules: [{ match: '^ci-', olderThanDays: 30 }], protect: [], now: '2026-03-01T00:00:00Z', dryRun: true };

let dir: string;
let registry: Registry;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-cleanup-service-'));
  registry = createMemoryRegistry();
  await pushImage(registry, 'team/app', { tags: ['ci-1'], created: '2025-12-01T00:00:00Z', seed: 'ci-1' });
  await pushImage(registry, 'team/app', { tags: ['latest'], created: '2026-02-28T00:00:00Z', seed: 'latest' });
  // The default tag cache time (15 s): a view a moment ago is still "fresh".
  await setConfigForTests(configOf({ auditLog: join(dir, 'audit.log'), sources: [{ name: 'mem', kind: 'memory', delete: true }] }), { mem: registry });
});
afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
  await rm(dir, { recursive: true, force: true });
});

describe('executing a cleanup', () => {
  it('plans again from the registry, not from the tag list cached a moment ago', async () => {
    const preview = await planSourceCleanup('mem', POLICY);
    expect(preview.delete.map((d) => d.tag)).toEqual(['ci-1']);
    // Pushed after the preview, within the tag cache time.
    await pushImage(registry, 'team/app', { tags: ['ci-2'], created: '2025-12-02T00:00:00Z', seed: 'ci-2' });

    const result = await executeSourceCleanup('mem', { policy: { ...POLICY, dryRun: false } }, 'tester');
    expect(result.plan.delete.map((d) => d.tag).sort()).toEqual(['ci-1', 'ci-2']);
    expect(result.items.map((i) => `${i.tag} ${i.status}`).sort()).toEqual(['ci-1 deleted', 'ci-2 deleted']);
    const left: string[] = [];
    for await (const tag of registry.listTags('team/app')) left.push(tag);
    expect(left).toEqual(['latest']);
  });
});
