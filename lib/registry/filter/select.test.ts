import { describe, expect, it } from 'vitest';
import { collect } from '../iter';
import { FAKE_DIGEST, createFakeRegistry } from '../testing/fake-registry';
import { readOnly } from './read-only';
import { repositoryMatcher, select } from './select';

const D = FAKE_DIGEST;
const REPOS = { 'team/app': ['v1'], 'team/app/sub': ['v1'], 'team/secret': ['v1'], other: ['v1'], 'a/b/cache': ['v1'] };

describe('patterns', () => {
  // The pattern language itself is pinned in lib/text/glob.test.ts.
  it('combines include and exclude, exclude winning', () => {
    const visible = repositoryMatcher({ include: ['team/**', 'other'], exclude: ['team/secret'] });
    expect(['team/app', 'team/app/sub', 'team/secret', 'other', 'x'].filter(visible)).toEqual(['team/app', 'team/app/sub', 'other']);
    expect(repositoryMatcher({})('x')).toBe(true);
    expect(repositoryMatcher({ include: [] , exclude: ['x'] })('x')).toBe(false);
  });
});

describe('select', () => {
  const setup = () => {
    const fake = createFakeRegistry(REPOS);
    return { fake, r: select(fake.registry, { include: ['team/*', 'other'], exclude: ['team/secret'] }) };
  };

  it('lists only visible repositories, honouring startAfter', async () => {
    const { r } = setup();
    expect(await collect(r.listRepositories())).toEqual(['other', 'team/app']);
    expect(await collect(r.listRepositories({ startAfter: 'other' }))).toEqual(['team/app']);
  });

  it('passes reads of visible repositories through', async () => {
    const { r } = setup();
    expect((await r.resolveTag('team/app', 'v1')).digest).toBe(D);
    expect((await r.getManifest('other', D)).descriptor.digest).toBe(D);
    expect(await collect(r.listTags('team/app'))).toEqual(['v1']);
    expect(await collect(r.listReferrers('team/app', D))).toHaveLength(1);
    await expect(r.resolveTag('team/app', 'nope')).rejects.toMatchObject({ code: 'MANIFEST_UNKNOWN' });
  });

  it('reads hidden repositories as NAME_UNKNOWN without reaching the registry', async () => {
    const { fake, r } = setup();
    const unknown = { code: 'NAME_UNKNOWN', status: 404, message: 'repository "team/secret" is not known to the registry' };
    await expect(r.resolveTag('team/secret', 'v1')).rejects.toMatchObject(unknown);
    await expect(r.resolveManifest('team/secret', D)).rejects.toMatchObject(unknown);
    await expect(r.resolveBlob('team/secret', D)).rejects.toMatchObject(unknown);
    await expect(r.getTag('team/secret', 'v1')).rejects.toMatchObject(unknown);
    await expect(r.getManifest('team/secret', D)).rejects.toMatchObject(unknown);
    await expect(r.getBlob('team/secret', D)).rejects.toMatchObject(unknown);
    await expect(r.capabilities('team/secret')).rejects.toMatchObject(unknown);
    await expect(r.getTag('team/app/sub', 'v1')).rejects.toMatchObject({ code: 'NAME_UNKNOWN' });
    const tags = r.listTags('team/secret');
    await expect(collect(tags)).rejects.toMatchObject(unknown);
    await expect(collect(r.listReferrers('team/secret', D))).rejects.toMatchObject(unknown);
    expect(fake.calls).toEqual([]);
  });

  it('denies writes to hidden repositories and passes writes to visible ones', async () => {
    const { fake, r } = setup();
    const denied = { code: 'DENIED', status: 403 };
    await expect(r.pushBlob('team/secret', { mediaType: 'x', digest: D, size: 2 }, new Uint8Array(2))).rejects.toMatchObject(denied);
    await expect(r.pushManifest('team/secret', new Uint8Array(2), 'x')).rejects.toMatchObject(denied);
    await expect(r.deleteTag('team/secret', 'v1')).rejects.toMatchObject(denied);
    await expect(r.deleteManifest('team/secret', D)).rejects.toMatchObject(denied);
    await expect(r.deleteBlob('team/secret', D)).rejects.toMatchObject(denied);
    await expect(r.mountBlob('team/app', 'team/secret', D)).rejects.toMatchObject(denied);
    await expect(r.mountBlob('team/secret', 'team/app', D)).rejects.toMatchObject({ code: 'NAME_UNKNOWN' });
    expect(fake.calls).toEqual([]);

    expect((await r.deleteTag('team/app', 'v1')).digest).toBe(D);
    expect((await r.mountBlob('other', 'team/app', D)).digest).toBe(D);
    expect(fake.calls).toEqual([['deleteTag', 'team/app'], ['mountBlob', 'team/app']]);
  });

  it('rejects invalid names with NAME_INVALID before hiding them', async () => {
    const { r } = setup();
    await expect(r.resolveTag('Team/App', 'v1')).rejects.toMatchObject({ code: 'NAME_INVALID', message: 'repository name "Team/App" must be lower case' });
    await expect(collect(r.listTags('a//b'))).rejects.toMatchObject({ code: 'NAME_INVALID' });
    await expect(r.deleteTag('', 'v1')).rejects.toMatchObject({ code: 'NAME_INVALID' });
  });

  it('passes capabilities without a repository and close through', async () => {
    const { fake, r } = setup();
    expect((await r.capabilities()).write).toBe(true);
    await r.close();
    expect(fake.closed).toBe(true);
  });

  it('composes with readOnly', async () => {
    const fake = createFakeRegistry(REPOS);
    const r = readOnly(select(fake.registry, { include: ['team/*'] }));
    expect(await collect(r.listRepositories())).toEqual(['team/app', 'team/secret']);
    await expect(r.deleteTag('team/app', 'v1')).rejects.toMatchObject({ code: 'DENIED', message: 'source is read-only' });
    await expect(r.resolveTag('other', 'v1')).rejects.toMatchObject({ code: 'NAME_UNKNOWN' });
    expect((await r.capabilities('team/app')).write).toBe(false);
  });
});
