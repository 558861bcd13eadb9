/**
 * The `/v2` server called directly with `Request`s: what the conformance suite does not check (content
 * negotiation, ranges, limits, staging, expiry, paging across sources, auth, events, mounts across sources).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestOf } from '@/lib/registry/testing/digest';
import { RegistryError } from '@/lib/oci/errors';
import { MediaType } from '@/lib/oci/media-types';
import { artifact, blob, image, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { directServer, type DirectServer } from './testing/direct';

let open: DirectServer[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

async function start(options: Parameters<typeof directServer>[0] = {}): Promise<DirectServer> {
  const server = await directServer(options);
  open.push(server);
  return server;
}

async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { errors?: { code: string }[] };
  return body.errors?.[0]?.code;
}

const OCI_ACCEPT = { accept: MediaType.OciManifest };

describe('/v2 server: ping, names and sources', () => {
  it('answers the ping with the API version header', async () => {
    const s = await start();
    const response = await s.call('GET', '/v2/');
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(await response.json()).toEqual({});
  });

  it('reports sources that are not served and invalid names with the spec codes', async () => {
    const s = await start();
    const missing = await s.call('GET', '/v2/nosuch/app/tags/list');
    expect([missing.status, await errorCode(missing)]).toEqual([404, 'NAME_UNKNOWN']);
    const single = await s.call('GET', '/v2/app/tags/list');
    expect([single.status, await errorCode(single)]).toEqual([404, 'NAME_UNKNOWN']);
    const upper = await s.call('GET', '/v2/mem/App/tags/list');
    expect([upper.status, await errorCode(upper)]).toEqual([400, 'NAME_INVALID']);
    const md5 = await s.call('GET', `/v2/mem/app/blobs/md5:${'a'.repeat(32)}`);
    expect([md5.status, await errorCode(md5)]).toEqual([400, 'DIGEST_INVALID']);
    const method = await s.call('POST', '/v2/mem/app/tags/list');
    expect([method.status, await errorCode(method)]).toEqual([405, 'UNSUPPORTED']);
  });
});

describe('/v2 server: manifests', () => {
  it('serves exact bytes by tag and digest, honours Accept and If-None-Match', async () => {
    const s = await start();
    const built = image({ seed: 'accept' });
    const pushed = await pushBuilt(s.sources.mem.registry, 'team/app', built, { tag: 'v1' });
    const byTag = await s.call('GET', '/v2/mem/team/app/manifests/v1', { headers: OCI_ACCEPT });
    expect(byTag.status).toBe(200);
    expect(new Uint8Array(await byTag.arrayBuffer())).toEqual(built.manifest.bytes);
    expect(byTag.headers.get('docker-content-digest')).toBe(pushed.digest);
    expect(byTag.headers.get('content-type')).toBe(MediaType.OciManifest);
    const head = await s.call('HEAD', `/v2/mem/team/app/manifests/${pushed.digest}`);
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(built.manifest.bytes.byteLength)]);
    const dockerOnly = await s.call('GET', '/v2/mem/team/app/manifests/v1', { headers: { accept: MediaType.DockerManifest } });
    expect([dockerOnly.status, await errorCode(dockerOnly)]).toEqual([404, 'MANIFEST_UNKNOWN']);
    const wildcard = await s.call('GET', '/v2/mem/team/app/manifests/v1', { headers: { accept: '*/*' } });
    expect(wildcard.status).toBe(200);
    const cached = await s.call('GET', '/v2/mem/team/app/manifests/v1', { headers: { 'if-none-match': `"${pushed.digest}"` } });
    expect(cached.status).toBe(304);
  });

  it('answers a push with Location, the digest and OCI-Subject; refuses a wrong digest and an oversized body', async () => {
    const s = await start();
    const subject = image({ seed: 'subject' });
    await pushBuilt(s.sources.mem.registry, 'team/app', subject, { tag: 'v1' });
    const signature = artifact({ subject: subjectOf(subject), artifactType: 'application/example.signature' });
    for (const b of signature.blobs) await s.sources.mem.registry.pushBlob('team/app', b.descriptor, b.bytes);
    const put = await s.call('PUT', `/v2/mem/team/app/manifests/${signature.manifest.descriptor.digest}`, {
      body: signature.manifest.bytes,
      headers: { 'content-type': MediaType.OciManifest },
    });
    expect(put.status).toBe(201);
    expect(put.headers.get('location')).toBe(`/v2/mem/team/app/manifests/${signature.manifest.descriptor.digest}`);
    expect(put.headers.get('docker-content-digest')).toBe(signature.manifest.descriptor.digest);
    expect(put.headers.get('oci-subject')).toBe(subject.manifest.descriptor.digest);
    const wrong = await s.call('PUT', `/v2/mem/team/app/manifests/sha256:${'1'.repeat(64)}`, {
      body: signature.manifest.bytes,
      headers: { 'content-type': MediaType.OciManifest },
    });
    expect([wrong.status, await errorCode(wrong)]).toEqual([400, 'DIGEST_INVALID']);
    const huge = await s.call('PUT', '/v2/mem/team/app/manifests/huge', {
      body: new Uint8Array(4 * 1024 * 1024 + 1),
      headers: { 'content-type': MediaType.OciManifest },
    });
    expect([huge.status, await errorCode(huge)]).toEqual([413, 'SIZE_INVALID']);
  });

  it('deletes one tag without touching another on the same digest', async () => {
    const s = await start();
    const built = image({ seed: 'two tags' });
    await pushBuilt(s.sources.lay.registry, 'team/app', built, { tag: 'a' });
    await s.sources.lay.registry.pushManifest('team/app', built.manifest.bytes, built.manifest.mediaType, { tag: 'b' });
    const deleted = await s.call('DELETE', '/v2/lay/team/app/manifests/a');
    expect(deleted.status).toBe(202);
    expect((await s.call('GET', '/v2/lay/team/app/manifests/a', { headers: OCI_ACCEPT })).status).toBe(404);
    expect((await s.call('GET', '/v2/lay/team/app/manifests/b', { headers: OCI_ACCEPT })).status).toBe(200);
    expect(s.events.at(-1)).toMatchObject({ action: 'delete-tag', source: 'lay', repository: 'team/app', tag: 'a', result: 'ok', user: 'anonymous' });
  });
});

describe('/v2 server: blobs', () => {
  it('serves one byte range with 206, a suffix range, and 416 with the size outside the blob', async () => {
    const s = await start();
    const b = blob('0123456789');
    await s.sources.mem.registry.pushBlob('team/app', b.descriptor, b.bytes);
    const path = `/v2/mem/team/app/blobs/${b.descriptor.digest}`;
    const part = await s.call('GET', path, { headers: { range: 'bytes=2-5' } });
    expect([part.status, part.headers.get('content-range'), await part.text()]).toEqual([206, 'bytes 2-5/10', '2345']);
    const suffix = await s.call('GET', path, { headers: { range: 'bytes=-3' } });
    expect([suffix.status, await suffix.text()]).toEqual([206, '789']);
    const outside = await s.call('GET', path, { headers: { range: 'bytes=10-' } });
    expect([outside.status, outside.headers.get('content-range')]).toEqual([416, 'bytes */10']);
    const head = await s.call('HEAD', path);
    expect([head.status, head.headers.get('content-length'), head.headers.get('docker-content-digest')]).toEqual([200, '10', b.descriptor.digest]);
  });
});

describe('/v2 server: uploads', () => {
  async function openUpload(s: DirectServer, name = 'lay/team/app'): Promise<string> {
    const started = await s.call('POST', `/v2/${name}/blobs/uploads/`);
    expect(started.status).toBe(202);
    return started.headers.get('location')!;
  }

  it('stages chunks on disk, answers Range, refuses a chunk out of order, and publishes only a verified blob', async () => {
    const s = await start();
    const location = await openUpload(s);
    const first = await s.call('PATCH', location, { body: 'hello ', headers: { 'content-range': '0-5' } });
    expect([first.status, first.headers.get('range')]).toEqual([202, '0-5']);
    const staged = await readdir(join(s.dataDir, 'uploads'));
    expect(staged).toHaveLength(1);
    const skipped = await s.call('PATCH', location, { body: 'x', headers: { 'content-range': '9-9' } });
    expect([skipped.status, skipped.headers.get('range')]).toEqual([416, '0-5']);
    const status = await s.call('GET', location);
    expect([status.status, status.headers.get('range')]).toEqual([204, '0-5']);
    const wrong = digestOf(new TextEncoder().encode('something else'));
    const bad = await s.call('PUT', `${location}?digest=${wrong}`, { body: 'world' });
    expect([bad.status, await errorCode(bad)]).toEqual([400, 'DIGEST_INVALID']);
    expect((await s.call('HEAD', `/v2/lay/team/app/blobs/${wrong}`)).status).toBe(404);
    expect(await readdir(join(s.dataDir, 'uploads'))).toEqual([]);
    expect((await s.call('GET', location)).status).toBe(404);

    const again = await openUpload(s);
    await s.call('PATCH', again, { body: 'hello ' });
    const digest = digestOf(new TextEncoder().encode('hello world'));
    const done = await s.call('PUT', `${again}?digest=${digest}`, { body: 'world' });
    expect([done.status, done.headers.get('location')]).toEqual([201, `/v2/lay/team/app/blobs/${digest}`]);
    expect(await (await s.call('GET', `/v2/lay/team/app/blobs/${digest}`)).text()).toBe('hello world');
  });

  it('keeps a session to its repository and shares sessions between server instances', async () => {
    const s = await start();
    const location = await openUpload(s, 'mem/team/app');
    const id = location.split('/').at(-1)!;
    const elsewhere = await s.call('PATCH', `/v2/mem/team/other/blobs/uploads/${id}`, { body: 'x' });
    expect([elsewhere.status, await errorCode(elsewhere)]).toEqual([404, 'BLOB_UPLOAD_UNKNOWN']);
    const second = await directServer();
    open.push(second);
    second.sources.mem = s.sources.mem;
    const digest = digestOf(new TextEncoder().encode('shared'));
    const done = await second.call('PUT', `${location}?digest=${digest}`, { body: 'shared' });
    expect(done.status).toBe(201);
    expect((await s.call('HEAD', `/v2/mem/team/app/blobs/${digest}`)).status).toBe(200);
  });

  it('expires idle sessions and removes their staging files', async () => {
    const s = await start({ uploadTtlMs: 50 });
    const location = await openUpload(s);
    await s.call('PATCH', location, { body: 'abc' });
    await new Promise((resolve) => setTimeout(resolve, 120));
    const late = await s.call('PATCH', location, { body: 'def' });
    expect([late.status, await errorCode(late)]).toEqual([404, 'BLOB_UPLOAD_UNKNOWN']);
    await s.call('POST', '/v2/lay/team/app/blobs/uploads/'); // sweeps before it opens a new session
    expect((await readdir(join(s.dataDir, 'uploads'))).length).toBe(1);
  });

  it('refuses blobs over the size limit and leaves nothing behind', async () => {
    const s = await start({ maxBlobBytes: 8 });
    const big = new TextEncoder().encode('more than eight bytes');
    const digest = digestOf(big);
    const direct = await s.call('POST', `/v2/lay/team/app/blobs/uploads/?digest=${digest}`, { body: big, headers: { 'content-length': String(big.byteLength) } });
    expect([direct.status, await errorCode(direct)]).toEqual([413, 'SIZE_INVALID']);
    const location = await openUpload(s);
    const chunk = await s.call('PATCH', location, { body: big });
    expect([chunk.status, await errorCode(chunk)]).toEqual([413, 'SIZE_INVALID']);
    expect((await s.call('GET', location)).headers.get('range')).toBe('0-0');
    expect((await s.call('HEAD', `/v2/lay/team/app/blobs/${digest}`)).status).toBe(404);
  });

  it('mounts within a source, copies across sources, discovers blobs without from, and falls back to an upload', async () => {
    const s = await start();
    const b = blob('mount me');
    await s.sources.mem.registry.pushBlob('team/base', b.descriptor, b.bytes);
    const same = await s.call('POST', `/v2/mem/team/app/blobs/uploads/?mount=${b.descriptor.digest}&from=mem/team/base`);
    expect([same.status, same.headers.get('location')]).toEqual([201, `/v2/mem/team/app/blobs/${b.descriptor.digest}`]);
    const across = await s.call('POST', `/v2/lay/team/app/blobs/uploads/?mount=${b.descriptor.digest}&from=mem/team/base`);
    expect(across.status).toBe(201);
    expect(await (await s.call('GET', `/v2/lay/team/app/blobs/${b.descriptor.digest}`)).text()).toBe('mount me');
    const discovered = await s.call('POST', `/v2/mem/team/third/blobs/uploads/?mount=${b.descriptor.digest}`);
    expect(discovered.status).toBe(201);
    const missing = await s.call('POST', `/v2/mem/team/app/blobs/uploads/?mount=sha256:${'2'.repeat(64)}&from=mem/team/base`);
    expect(missing.status).toBe(202);
    expect(missing.headers.get('location')).toMatch(/^\/v2\/mem\/team\/app\/blobs\/uploads\/[0-9a-f-]{36}$/);
    expect(s.events.filter((e) => e.action === 'mount-blob').map((e) => e.result)).toEqual(['ok', 'ok', 'ok']);
  });

  it('refuses pushes to a read source with DENIED and reports them', async () => {
    const s = await start();
    const refused = await s.call('POST', '/v2/ro/team/app/blobs/uploads/');
    expect([refused.status, await errorCode(refused)]).toEqual([403, 'DENIED']);
    const put = await s.call('PUT', '/v2/ro/team/app/manifests/v1', { body: '{}', headers: { 'content-type': MediaType.OciManifest } });
    expect([put.status, await errorCode(put)]).toEqual([403, 'DENIED']);
    expect(s.events.at(-1)).toMatchObject({ action: 'push-manifest', source: 'ro', result: 'denied', error: { code: 'DENIED' } });
  });
});

describe('/v2 server: lists', () => {
  it('pages the catalog over sources with n, last and Link', async () => {
    const s = await start();
    for (const repo of ['a/one', 'b/two']) await s.sources.mem.registry.pushBlob(repo, blob(repo).descriptor, blob(repo).bytes);
    await s.sources.ro.registry.pushBlob('c/three', blob('c').descriptor, blob('c').bytes);
    const first = await s.call('GET', '/v2/_catalog?n=2');
    expect(await first.json()).toEqual({ repositories: ['mem/a/one', 'mem/b/two'] });
    expect(first.headers.get('link')).toBe('</v2/_catalog?n=2&last=mem%2Fb%2Ftwo>; rel="next"');
    const second = await s.call('GET', '/v2/_catalog?n=2&last=mem%2Fb%2Ftwo');
    expect(await second.json()).toEqual({ repositories: ['ro/c/three'] });
    expect(second.headers.get('link')).toBeNull();
    const tooMany = await s.call('GET', '/v2/_catalog?n=1001');
    expect([tooMany.status, await errorCode(tooMany)]).toEqual([400, 'PAGINATION_NUMBER_INVALID']);
  });

  it('pages tags and filters referrers by artifactType', async () => {
    const s = await start();
    const subject = image({ seed: 'lists' });
    for (const tag of ['a', 'b', 'c']) await pushBuilt(s.sources.mem.registry, 'team/app', subject, { tag });
    const page = await s.call('GET', '/v2/mem/team/app/tags/list?n=2');
    expect(await page.json()).toEqual({ name: 'mem/team/app', tags: ['a', 'b'] });
    expect(page.headers.get('link')).toBe('</v2/mem/team/app/tags/list?n=2&last=b>; rel="next"');
    const rest = await s.call('GET', '/v2/mem/team/app/tags/list?n=2&last=b');
    expect(await rest.json()).toEqual({ name: 'mem/team/app', tags: ['c'] });
    const sbom = artifact({ subject: subjectOf(subject), artifactType: 'application/example.sbom', annotations: { k: 'v' } });
    const sig = artifact({ subject: subjectOf(subject), artifactType: 'application/example.signature' });
    await pushBuilt(s.sources.mem.registry, 'team/app', sbom);
    await pushBuilt(s.sources.mem.registry, 'team/app', sig);
    const all = await s.call('GET', `/v2/mem/team/app/referrers/${subject.manifest.descriptor.digest}`);
    expect(all.headers.get('content-type')).toBe(MediaType.OciIndex);
    expect(((await all.json()) as { manifests: unknown[] }).manifests).toHaveLength(2);
    const filtered = await s.call('GET', `/v2/mem/team/app/referrers/${subject.manifest.descriptor.digest}?artifactType=application/example.sbom`);
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
    expect(((await filtered.json()) as { manifests: unknown[] }).manifests).toEqual([
      { ...sbom.manifest.descriptor, artifactType: 'application/example.sbom', annotations: { k: 'v' } },
    ]);
  });
});

describe('/v2 server: authentication', () => {
  const login = { authorization: 'Basic ' + btoa('u:right') };
  const auth = {
    challenge: 'Basic realm="test"',
    user(request: Request) {
      const header = request.headers.get('authorization');
      if (!header) return undefined;
      if (header === login.authorization) return 'alice';
      throw new RegistryError('UNAUTHORIZED', 'wrong credentials');
    },
  };

  it('challenges anonymous callers and wrong credentials, lets anonymous reads through where allowed, records the user', async () => {
    const s = await start({ auth });
    const ping = await s.call('GET', '/v2/');
    expect([ping.status, ping.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="test"']);
    const wrong = await s.call('GET', '/v2/', { headers: { authorization: 'Basic ' + btoa('u:wrong') } });
    expect([wrong.status, await errorCode(wrong)]).toEqual([401, 'UNAUTHORIZED']);
    expect((await s.call('GET', '/v2/', { headers: login })).status).toBe(200);
    // Anonymous callers learn nothing about which sources exist.
    expect((await s.call('GET', '/v2/nosuch/app/tags/list')).status).toBe(401);
    expect((await s.call('GET', '/v2/ro/team/app/tags/list')).status).toBe(401);
    s.sources.ro.anonymousRead = true;
    const anonymousRead = await s.call('GET', '/v2/ro/team/app/tags/list');
    expect([anonymousRead.status, await errorCode(anonymousRead)]).toEqual([404, 'NAME_UNKNOWN']);
    const digest = digestOf(new TextEncoder().encode('x'));
    const anonymousPush = await s.call('POST', `/v2/mem/team/app/blobs/uploads/?digest=${digest}`, { body: 'x' });
    expect(anonymousPush.status).toBe(401);
    const push = await s.call('POST', `/v2/mem/team/app/blobs/uploads/?digest=${digest}`, { body: 'x', headers: login });
    expect(push.status).toBe(201);
    // The anonymous attempt was a challenge, not reported; the real push is, with its user.
    expect(s.events.map((e) => [e.action, e.user, e.result])).toEqual([['push-blob', 'alice', 'ok']]);
  });
});
