import { describe, expect, it } from 'vitest';
import { collect } from '../iter';
import type { Registry } from '../registry';
import { FAKE_DIGEST, createFakeRegistry } from '../testing/fake-registry';
import { readOnly } from './read-only';

const D = FAKE_DIGEST;

describe('readOnly', () => {
  it('passes reads and lists through', async () => {
    const fake = createFakeRegistry({ 'team/app': ['v1', 'v2'], other: [] });
    const r = readOnly(fake.registry);
    expect((await r.resolveTag('team/app', 'v1')).digest).toBe(D);
    expect((await r.resolveManifest('team/app', D)).digest).toBe(D);
    expect((await r.resolveBlob('team/app', D)).digest).toBe(D);
    expect(new TextDecoder().decode((await r.getTag('team/app', 'v1')).bytes)).toBe('{}');
    expect((await r.getManifest('team/app', D)).descriptor.digest).toBe(D);
    expect(await new Response((await r.getBlob('team/app', D)).body).text()).toBe('{}');
    expect(await collect(r.listRepositories())).toEqual(['other', 'team/app']);
    expect(await collect(r.listRepositories({ startAfter: 'other' }))).toEqual(['team/app']);
    expect(await collect(r.listTags('team/app'))).toEqual(['v1', 'v2']);
    expect((await collect(r.listReferrers('team/app', D)))[0]?.artifactType).toBe('application/example');
    expect(fake.calls.map(([m]) => m)).toEqual([
      'resolveTag', 'resolveManifest', 'resolveBlob', 'getTag', 'getManifest', 'getBlob',
      'listRepositories', 'listRepositories', 'listTags', 'listReferrers',
    ]);
  });

  it('passes the inner errors through', async () => {
    const r = readOnly(createFakeRegistry({ a: ['v1'] }).registry);
    await expect(r.resolveTag('a', 'nope')).rejects.toMatchObject({ code: 'MANIFEST_UNKNOWN' });
    await expect(collect(r.listTags('missing'))).rejects.toMatchObject({ code: 'NAME_UNKNOWN' });
  });

  it('denies every write and delete without reaching the registry', async () => {
    const fake = createFakeRegistry({ a: ['v1'] });
    const r = readOnly(fake.registry);
    const denied = { code: 'DENIED', status: 403, message: 'source is read-only' };
    await expect(r.pushBlob('a', { mediaType: 'x', digest: D, size: 2 }, new Uint8Array(2))).rejects.toMatchObject(denied);
    await expect(r.mountBlob('b', 'a', D)).rejects.toMatchObject(denied);
    await expect(r.pushManifest('a', new Uint8Array(2), 'x', { tag: 'v1' })).rejects.toMatchObject(denied);
    await expect(r.deleteTag('a', 'v1')).rejects.toMatchObject(denied);
    await expect(r.deleteManifest('a', D)).rejects.toMatchObject(denied);
    await expect(r.deleteBlob('a', D)).rejects.toMatchObject(denied);
    expect(fake.calls).toEqual([]);
  });

  it('reports no write or delete capability, keeping the rest', async () => {
    const r = readOnly(createFakeRegistry({ a: [] }).registry);
    expect(await r.capabilities('a')).toEqual({ catalog: true, write: false, manifestDelete: false, tagDelete: 'unsupported', referrersApi: false });
  });

  it('forwards close', async () => {
    const fake = createFakeRegistry({});
    await readOnly(fake.registry).close();
    expect(fake.closed).toBe(true);
  });

  it('fails closed: only Registry methods exist, extra methods of the inner object are not exposed', async () => {
    const fake = createFakeRegistry({ a: [] });
    const inner = Object.assign(Object.create(null), fake.registry, { pushEverything: () => 'leaked' }) as Registry;
    const r = readOnly(inner) as Registry & { pushEverything?: unknown };
    expect(r.pushEverything).toBeUndefined();
    expect(Object.keys(r)).toHaveLength(17);
  });
});
