/**
 * `kind: unify` sources: the configuration rules (members exist, are not unify sources, allow what the unified
 * source allows) and the API over two memory sources with overlapping repositories (merged, sorted,
 * de-duplicated lists; reads from the first member that has the content; read-only by default).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { image, pushBuilt } from '@/lib/registry/testing/build';
import { ConfigError } from './config';
import { resetSources, setConfigForTests } from './sources';
import { getJson } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';

const mirrorV1 = image({ seed: 'unify v1 (mirror)' });
const originV1 = image({ seed: 'unify v1 (origin)' });
const originV2 = image({ seed: 'unify v2' });
const shared = image({ seed: 'unify shared' });

function configError(sources: unknown[]): string {
  try {
    configOf({ sources });
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

afterEach(async () => {
  await setConfigForTests(null);
  await resetSources();
});

describe('unify sources in the configuration', () => {
  const members = [
    { name: 'a', kind: 'memory', delete: true, write: true },
    { name: 'b', kind: 'memory' },
  ];

  it('accepts other sources as members, with the kind inferred from "sources"', () => {
    const config = configOf({ sources: [...members, { name: 'both', sources: ['a', 'b'] }] });
    expect(config.sources[2]).toMatchObject({ name: 'both', kind: 'unify', sources: ['a', 'b'], delete: false, write: false });
  });

  it('refuses unknown, self, nested and repeated members, and "sources" on other kinds', () => {
    expect(configError([...members, { name: 'u', sources: ['a', 'c'] }])).toContain('field "sources": "c" is not a configured source');
    expect(configError([...members, { name: 'u', sources: ['a', 'u'] }])).toContain('must not name the unify source itself');
    expect(configError([...members, { name: 'u', sources: ['a'] }, { name: 'v', sources: ['u', 'b'] }])).toContain('"u" is itself a unify source');
    expect(configError([...members, { name: 'u', sources: ['a', 'a'] }])).toContain('names a source more than once');
    expect(configError([...members, { name: 'u', kind: 'unify' }])).toContain('field "sources": is required for a unify source');
    expect(configError([{ name: 'm', kind: 'memory', sources: ['a'] }])).toContain('field "sources": is only used by unify sources');
  });

  it('allows delete and write only when every member allows it', () => {
    expect(configError([...members, { name: 'u', sources: ['a', 'b'], delete: true }])).toContain('field "delete": needs delete: true on every member, and "b" does not set it');
    expect(configError([...members, { name: 'u', sources: ['a', 'b'], write: true }])).toContain('field "write": needs write: true on every member, and "b" does not set it');
    expect(configError([...members, { name: 'u', sources: ['a'], delete: true, write: true }])).toBe('accepted');
  });
});

describe('a unify source through the API', () => {
  async function setUp(): Promise<{ mirror: Registry; origin: Registry }> {
    const mirror = createMemoryRegistry();
    const origin = createMemoryRegistry();
    await pushBuilt(mirror, 'team/app', mirrorV1, { tag: 'v1' });
    await pushBuilt(mirror, 'team/app', shared, { tag: 'shared' });
    await pushBuilt(mirror, 'only/mirror', shared, { tag: 'x' });
    await pushBuilt(origin, 'team/app', originV1, { tag: 'v1' });
    await pushBuilt(origin, 'team/app', originV2, { tag: 'v2' });
    await pushBuilt(origin, 'team/app', shared, { tag: 'shared' });
    await pushBuilt(origin, 'only/origin', shared, { tag: 'y' });
    await setConfigForTests(
      configOf({
        sources: [
          { name: 'mirror', kind: 'memory' },
          { name: 'origin', kind: 'memory' },
          { name: 'both', sources: ['mirror', 'origin'] },
        ],
      }),
      { mirror, origin },
    );
    return { mirror, origin };
  }

  it('merges the tag lists and repositories, sorted and without duplicates', async () => {
    await setUp();
    const tags = await getJson<{ tags: { name: string }[] }>('/api/sources/both/repositories/team/app/-/tags?details=false&sort=name');
    expect(tags.status).toBe(200);
    expect(tags.body.tags.map((t) => t.name)).toEqual(['shared', 'v1', 'v2']);
    const repositories = await getJson<{ repositories: string[] }>('/api/sources/both/repositories');
    expect(repositories.body.repositories).toEqual(['only/mirror', 'only/origin', 'team/app']);
  });

  it('reads a tag from the first member that has it, and the others from the next', async () => {
    await setUp();
    const v1 = await getJson<{ descriptor: { digest: string } }>('/api/sources/both/repositories/team/app/-/manifests/v1');
    expect(v1.body.descriptor.digest).toBe(mirrorV1.manifest.descriptor.digest);
    const v2 = await getJson<{ descriptor: { digest: string } }>('/api/sources/both/repositories/team/app/-/manifests/v2');
    expect(v2.body.descriptor.digest).toBe(originV2.manifest.descriptor.digest);
  });

  it('is read-only without delete: true (403 DENIED), leaving both members as they were', async () => {
    const { mirror, origin } = await setUp();
    const response = await getJson<{ errors: { code: string }[] }>('/api/sources/both/repositories/team/app/-/tags/v1', { method: 'DELETE' });
    expect(response.status).toBe(403);
    expect(response.body.errors[0]!.code).toBe('DENIED');
    expect((await mirror.resolveTag('team/app', 'v1')).digest).toBe(mirrorV1.manifest.descriptor.digest);
    expect((await origin.resolveTag('team/app', 'v1')).digest).toBe(originV1.manifest.descriptor.digest);
  });
});
