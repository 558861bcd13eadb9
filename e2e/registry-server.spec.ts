/**
 * Porthole's `/v2` registry server through the production Next.js build: the route, the trailing-slash
 * endpoints, HEAD and ranges, a served layout source read by skopeo, and a push proxied to an http source
 * (docker-registry) with a chunked upload. The protocol itself is covered by the conformance run and
 * lib/registry/server tests; this proves the wiring.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { registryDigest, registryTags } from './support/registry';
import { expect, test } from './support/test';

const run = promisify(execFile);
const OCI_ACCEPT = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json';
const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

test.describe('/v2 registry server', () => {
  test('answers the ping with and without the trailing slash, and lists served sources only', async ({ request }) => {
    for (const path of ['/v2/', '/v2']) {
      const ping = await request.get(path, { maxRedirects: 0 });
      expect(ping.status(), path).toBe(200);
      expect(ping.headers()['docker-distribution-api-version']).toBe('registry/2.0');
    }
    const catalog = (await (await request.get('/v2/_catalog')).json()) as { repositories: string[] };
    expect(catalog.repositories).toContain('demo/platform/web');
    expect(catalog.repositories.some((name) => name.startsWith('readonly/'))).toBe(false);
    const hidden = await request.get('/v2/readonly/shop/web/tags/list');
    expect(hidden.status()).toBe(404);
    expect(((await hidden.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('NAME_UNKNOWN');
  });

  test('serves a layout source to skopeo byte for byte, with HEAD and ranges', async ({ request, baseURL }) => {
    const tags = ((await (await request.get('/v2/demo/platform/web/tags/list')).json()) as { tags: string[] }).tags;
    const tag = tags[0]!;
    const get = await request.get(`/v2/demo/platform/web/manifests/${tag}`, { headers: { accept: OCI_ACCEPT } });
    expect(get.status()).toBe(200);
    const bytes = await get.body();
    expect(get.headers()['docker-content-digest']).toBe(sha256(bytes));
    const head = await request.head(`/v2/demo/platform/web/manifests/${tag}`, { headers: { accept: OCI_ACCEPT } });
    expect(head.headers()['content-length']).toBe(String(bytes.byteLength));
    const host = new URL(baseURL!).host;
    const { stdout } = await run('skopeo', ['--insecure-policy', 'inspect', '--tls-verify=false', '--raw', `docker://${host}/demo/platform/web:${tag}`]);
    expect(stdout).toBe(bytes.toString('utf8'));
    const manifest = JSON.parse(bytes.toString('utf8')) as { manifests?: { digest: string }[]; config?: { digest: string } };
    const child = manifest.manifests?.[0]?.digest;
    const config = child
      ? ((await (await request.get(`/v2/demo/platform/web/manifests/${child}`, { headers: { accept: OCI_ACCEPT } })).json()) as { config: { digest: string } }).config
      : manifest.config!;
    const range = await request.get(`/v2/demo/platform/web/blobs/${config.digest}`, { headers: { range: 'bytes=0-0' } });
    expect(range.status()).toBe(206);
    expect(range.headers()['content-range']).toMatch(/^bytes 0-0\/\d+$/);
  });

  test('pushes a chunked upload and a manifest through to an http source', async ({ request, stack }) => {
    const layer = 'layer pushed through porthole /v2';
    const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
    for (const content of [layer, config]) {
      const started = await request.post('/v2/registry/v2e2e/app/blobs/uploads/');
      expect(started.status()).toBe(202);
      const location = started.headers()['location']!;
      const half = Math.floor(content.length / 2);
      const patch = await request.patch(location, { data: content.slice(0, half), headers: { 'content-type': 'application/octet-stream', 'content-range': `0-${half - 1}` } });
      expect([patch.status(), patch.headers()['range']]).toEqual([202, `0-${half - 1}`]);
      const put = await request.put(`${patch.headers()['location']}?digest=${sha256(content)}`, { data: content.slice(half), headers: { 'content-type': 'application/octet-stream' } });
      expect(put.status()).toBe(201);
    }
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(layer), size: layer.length }],
    });
    const put = await request.put('/v2/registry/v2e2e/app/manifests/pushed', { data: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    expect(put.status()).toBe(201);
    expect(put.headers()['docker-content-digest']).toBe(sha256(manifest));
    expect(await registryTags(stack.registryUrl, 'v2e2e/app')).toEqual(['pushed']);
    expect(await registryDigest(stack.registryUrl, 'v2e2e/app', 'pushed')).toBe(sha256(manifest));
  });
});
