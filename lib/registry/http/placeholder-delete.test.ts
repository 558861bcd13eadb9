/**
 * The tag and digest deletes when the registry fails on its side (what distribution 2.8.2 does when another client
 * changes the repository at the same moment, protocol.md §5.2.1), through undici's MockAgent: a 500 that removed
 * the manifest but left its tags, a conflict that persists, a tag changed by someone else before the rollback,
 * a tag pushed again before the delete answers. The real-registry races are in delete-concurrency.integration.test.ts.
 */
import type { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { image, pushBuilt } from '@/lib/registry/testing/build';
import { createHttpRegistry, type HttpRegistry } from './index';
import { FakeRegistry, mockAgent, testOptions, wireError, type FakeRegistryOptions, type RecordedRequest } from './testing/mock-registry';
import { rejection } from './testing/mock-session';

const REPO = 'team/app';
let agent: MockAgent;
const opened: HttpRegistry[] = [];

beforeEach(() => {
  agent = mockAgent();
});
afterEach(async () => {
  for (const r of opened.splice(0)) await r.close();
  await agent.close();
});

const isPlaceholderDelete = (request: RecordedRequest, fake: FakeRegistry, original: string) =>
  request.method === 'DELETE' && request.path.startsWith(`/v2/${REPO}/manifests/sha256:`) && !request.path.endsWith(original) && fake.manifests.get(REPO)!.has(request.path.split('/').at(-1)!);

async function seeded(intercept: (request: RecordedRequest, fake: FakeRegistry, original: string) => ReturnType<NonNullable<FakeRegistryOptions['intercept']>>) {
  const img = image({ seed: 'shared' });
  const original = img.manifest.descriptor.digest;
  const fake = new FakeRegistry(agent, { intercept: (request, registry) => intercept(request, registry, original) });
  const r = createHttpRegistry(testOptions(agent));
  opened.push(r);
  await pushBuilt(r, REPO, img, { tag: 'a' });
  await pushBuilt(r, REPO, img, { tag: 'b' });
  fake.requests.length = 0;
  return { fake, r, original };
}

describe('tag delete when the registry fails on its side', () => {
  it('a 500 that removed the placeholder but left the tag: put back by digest, deleted again, ok', async () => {
    let failures = 0;
    const { fake, r, original } = await seeded((request, registry, orig) => {
      if (failures === 0 && isPlaceholderDelete(request, registry, orig)) {
        failures++;
        // Like 2.8.2: the revision link goes, the tag walk fails, the tag is left dangling.
        registry.manifests.get(REPO)!.delete(request.path.split('/').at(-1)!);
        return wireError(500, 'UNKNOWN', 'invalid checksum digest format');
      }
      return undefined;
    });
    expect(await r.deleteTag(REPO, 'a')).toEqual({ method: 'placeholder', digest: original });
    expect([...fake.tags.get(REPO)!.keys()]).toEqual(['b']);
    const placeholder = fake.log.find((l) => l.startsWith('DELETE') && l.includes('sha256:'))!.split(' ')[1]!;
    expect(fake.log.filter((l) => l === `PUT ${placeholder}` || l === `DELETE ${placeholder}`)).toEqual([`DELETE ${placeholder}`, `PUT ${placeholder}`, `DELETE ${placeholder}`]);
    expect(fake.log.at(-1)).toBe(`HEAD /v2/${REPO}/manifests/a`);
  });

  it('a 500 on an upload of the placeholder\'s blobs (shared by concurrent deletes): pushed again, ok', async () => {
    let failures = 0;
    let armed = false;
    const { fake, r, original } = await seeded((request) => {
      if (armed && failures === 0 && request.method === 'PUT' && request.path.includes('/blobs/uploads/')) {
        failures++;
        return wireError(500, 'UNKNOWN', '');
      }
      return undefined;
    });
    armed = true;
    expect(await r.deleteTag(REPO, 'a')).toEqual({ method: 'placeholder', digest: original });
    expect(failures).toBe(1);
    expect([...fake.tags.get(REPO)!.keys()]).toEqual(['b']);
  });

  it('a conflict that persists: 503 UNAVAILABLE (retryable, reason conflict) and the tag back on its manifest', async () => {
    const { fake, r, original } = await seeded((request, registry, orig) =>
      isPlaceholderDelete(request, registry, orig) ? wireError(500, 'UNKNOWN', 'invalid checksum digest format') : undefined,
    );
    const error = await rejection(r.deleteTag(REPO, 'a'));
    expect([error.code, error.status]).toEqual(['UNAVAILABLE', 503]);
    expect(error.detail).toMatchObject({ reason: 'conflict', retryable: true, repository: REPO });
    expect(error.message).toContain('tag a is unchanged');
    expect(fake.tags.get(REPO)!.get('a')).toBe(original);
    expect(fake.tags.get(REPO)!.get('b')).toBe(original);
    expect(fake.log.filter((l) => l.startsWith('DELETE') && l.includes('sha256:'))).toHaveLength(4);
  });

  it('never puts the tag back when someone else changed it meanwhile', async () => {
    const other = image({ seed: 'pushed by CI' });
    const { fake, r } = await seeded((request, registry, orig) => {
      if (!isPlaceholderDelete(request, registry, orig)) return undefined;
      registry.putManifest(REPO, other.manifest.bytes, other.manifest.mediaType, 'a');
      return wireError(500, 'UNKNOWN', 'invalid checksum digest format');
    });
    const error = await rejection(r.deleteTag(REPO, 'a'));
    expect(error.message).toContain('changed by someone else');
    expect(fake.tags.get(REPO)!.get('a')).toBe(other.manifest.descriptor.digest);
    expect(fake.log.filter((l) => l === `PUT /v2/${REPO}/manifests/a`)).toHaveLength(1); // the placeholder only
  });

  it('never answers ok while the tag resolves: a tag pushed again before the answer is a conflict', async () => {
    const other = image({ seed: 'pushed again' });
    let deleted = false;
    const { r } = await seeded((request, registry, orig) => {
      if (deleted && request.method === 'HEAD' && request.path === `/v2/${REPO}/manifests/a`) {
        registry.putManifest(REPO, other.manifest.bytes, other.manifest.mediaType, 'a');
      }
      if (isPlaceholderDelete(request, registry, orig)) deleted = true;
      return undefined;
    });
    const error = await rejection(r.deleteTag(REPO, 'a'));
    expect([error.code, error.status]).toEqual(['UNAVAILABLE', 503]);
    expect(error.detail).toMatchObject({ reason: 'conflict', digest: other.manifest.descriptor.digest });
  });

  it('a manifest delete answered 500 is retried after putting the manifest back, and reports its tags', async () => {
    let failures = 0;
    const { fake, r, original } = await seeded((request, registry, orig) => {
      if (failures < 2 && request.method === 'DELETE' && request.path.endsWith(orig)) {
        failures++;
        registry.manifests.get(REPO)!.delete(orig);
        return wireError(500, 'UNKNOWN', 'invalid checksum digest format');
      }
      return undefined;
    });
    expect(await r.deleteManifest(REPO, original)).toEqual({ deleted: [original], tags: ['a', 'b'] });
    expect(fake.tags.get(REPO)!.size).toBe(0);
    expect(fake.log.filter((l) => l.endsWith(original) && !l.startsWith('GET'))).toEqual(
      ['DELETE', 'PUT', 'DELETE', 'PUT', 'DELETE'].map((m) => `${m} /v2/${REPO}/manifests/${original}`),
    );
  });

  it('native tag delete: a tag deleted meanwhile (404 MANIFEST_UNKNOWN) is MANIFEST_UNKNOWN, not a fall back to placeholders', async () => {
    const img = image({ seed: 'native' });
    let raced = false;
    const fake = new FakeRegistry(agent, {
      tagDelete: 'native',
      intercept: (request, registry) => {
        // Another client deletes the tag between our read and our delete.
        if (!raced && request.method === 'DELETE' && request.path === `/v2/${REPO}/manifests/a`) {
          raced = true;
          registry.tags.get(REPO)!.delete('a');
        }
        return undefined;
      },
    });
    const r = createHttpRegistry(testOptions(agent));
    opened.push(r);
    await pushBuilt(r, REPO, img, { tag: 'a' });
    await pushBuilt(r, REPO, img, { tag: 'b' });
    fake.requests.length = 0;
    expect((await rejection(r.deleteTag(REPO, 'a'))).code).toBe('MANIFEST_UNKNOWN');
    expect(fake.requests.filter((q) => q.method === 'PUT')).toEqual([]);
    expect((await r.capabilities(REPO)).tagDelete).toBe('native');
    expect(await r.deleteTag(REPO, 'b')).toMatchObject({ method: 'native' });
  });
});
