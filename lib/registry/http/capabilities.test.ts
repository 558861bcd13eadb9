/**
 * Capability probes, name validation before any I/O, and index pushes.
 * Unit test of the HTTP backend through undici's MockAgent (no sockets, `disableNetConnect`), for what a real
 * distribution 2.8.2 cannot show (split out of the former http.test.ts; shared setup: testing/mock-session.ts).
 * Timeouts, dropped connections and concurrency against a real loopback socket are in transport/transport.test.ts.
 */
import type { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { collect } from '@/lib/registry/iter';
import { image, index, pushBuilt } from '@/lib/registry/testing/build';
import { FakeRegistry, sha256 } from './testing/mock-registry';
import { mockSession, REPO, rejection } from './testing/mock-session';

let agent: MockAgent;
const open = mockSession((a) => (agent = a));

describe('capabilities', () => {
  it('probes lazily: catalog, manifest delete (405 = off), tag delete, referrers API; and caches', async () => {
    const fake = new FakeRegistry(agent, { manifestDelete: false });
    const r = open();
    expect(fake.requests).toHaveLength(0);
    expect(await r.capabilities()).toEqual({ catalog: true, write: 'unknown', manifestDelete: 'unknown', tagDelete: 'unknown', referrersApi: 'unknown' });
    expect(await r.capabilities(REPO)).toEqual({ catalog: true, write: 'unknown', manifestDelete: false, tagDelete: 'unsupported', referrersApi: false });
    const count = fake.requests.length;
    await r.capabilities(REPO);
    expect(fake.requests).toHaveLength(count);
    const on = new FakeRegistry(agent, { referrersApi: true, tagDelete: 'native', catalog: false }, 'https://zot.example.com');
    const zot = open({ url: 'https://zot.example.com' });
    await pushBuilt(zot, REPO, image({ seed: 'w' }), { tag: 'w' });
    expect(await zot.capabilities(REPO)).toEqual({ catalog: false, write: true, manifestDelete: true, tagDelete: 'native', referrersApi: true });
    expect(on.requests.length).toBeGreaterThan(0);
  });

  it('validates names before any I/O', async () => {
    const fake = new FakeRegistry(agent);
    const r = open();
    for (const call of [
      () => r.resolveTag('UPPER', 'v1'),
      () => r.getBlob('a//b', sha256('x')),
      () => collect(r.listTags('../x')),
      () => r.capabilities('-x'),
      () => r.deleteTag('a b', 'v1'),
    ]) {
      expect(isRegistryError(await rejection(call), 'NAME_INVALID')).toBe(true);
    }
    expect((await rejection(r.getManifest(REPO, 'sha256:zzz'))).code).toBe('DIGEST_INVALID');
    expect((await rejection(r.resolveTag(REPO, 't'.repeat(129)))).code).toBe('TAG_INVALID');
    expect(fake.requests).toHaveLength(0);
  });

  it('index manifests push their children by digest first', async () => {
    const fake = new FakeRegistry(agent);
    const r = open();
    const child = image({ seed: 'child' });
    const idx = index([child]);
    await pushBuilt(r, REPO, idx, { tag: 'multi' });
    expect(await r.resolveTag(REPO, 'multi')).toEqual(idx.manifest.descriptor);
    expect(fake.manifests.get(REPO)!.has(child.manifest.descriptor.digest)).toBe(true);
  });
});
