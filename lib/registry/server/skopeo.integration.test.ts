/**
 * Real clients against Porthole's `/v2` (served from a `node:http` server): skopeo copies a multi-platform
 * image with attestations (regclient's `testrepo:v1`) from a layout source through `/v2` into docker-registry
 * and back, digest for digest; `skopeo inspect --raw` returns the stored bytes; a signed image copied from
 * docker-registry into Porthole shows its signature in the referrers API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaType } from '@/lib/oci/media-types';
import { createHttpRegistry, type HttpRegistry } from '@/lib/registry/http';
import { createLayoutRegistry } from '@/lib/registry/layout';
import { artifact, image, pushBuilt, subjectOf } from '@/lib/registry/testing/build';
import { REGCLIENT_TESTREPO } from '@/lib/registry/testing/fixtures';
import { readLayout, type LayoutContent } from '@/lib/registry/testing/load-layout';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { copyLayout } from '@/lib/registry/testing/round-trip';
import { exec, execOk } from '@/lib/registry/testing/exec';
import { authenticator } from '@/lib/server/registry-server';
import { SKOPEO_BINARY, skopeoCopy } from '@/lib/registry/testing/skopeo';
import { startV2Stack, type V2Stack } from './testing/stack';

let dir: string;
let stack: V2Stack;
let registry: RunningRegistry;
let fixture: LayoutContent;
const clients: HttpRegistry[] = [];

function client(url: string): HttpRegistry {
  const created = createHttpRegistry({ url, retries: { max: 1, baseDelayMs: 10 } });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-v2-skopeo-'));
  await copyLayout(REGCLIENT_TESTREPO, join(dir, 'layouts', 'testrepo'));
  fixture = await readLayout(join(dir, 'layouts', 'testrepo'));
  const fix = { name: 'fix', registry: createLayoutRegistry(join(dir, 'layouts')), serve: 'read' as const, delete: false, discoverMounts: true, anonymousRead: false };
  [stack, registry] = await Promise.all([startV2Stack({ extra: [fix] }), startRegistry({ delete: true })]);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([stack?.close(), registry?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const v2 = (repo: string, ref: string) => `docker://${stack.host}/${repo}${ref.includes(':') ? '@' : ':'}${ref}`;
const upstream = (repo: string, ref: string) => `docker://${registry.host}/${repo}${ref.includes(':') ? '@' : ':'}${ref}`;

describe('skopeo through /v2', () => {
  it('inspect --raw returns the stored manifest byte for byte', async () => {
    const digest = fixture.tags.get('v1')!.digest;
    const { stdout } = await execOk(SKOPEO_BINARY, ['--insecure-policy', 'inspect', '--tls-verify=false', '--raw', v2('fix/testrepo', 'v1')]);
    expect(stdout).toBe(new TextDecoder().decode(fixture.manifests.get(digest)!.bytes));
    const served = await client(stack.url).getTag('fix/testrepo', 'v1');
    expect(served.bytes).toEqual(fixture.manifests.get(digest)!.bytes);
  });

  it('copy --all from a layout source into docker-registry and back keeps every digest', async () => {
    const index = fixture.manifests.get(fixture.tags.get('v1')!.digest)!;
    const children = (index.json.manifests as { digest: string }[]).map((d) => d.digest);
    expect(children.length).toBeGreaterThanOrEqual(4); // two platforms and their attestations
    await skopeoCopy(v2('fix/testrepo', 'v1'), upstream('copied/app', 'v1'), { all: true, preserveDigests: true });
    await skopeoCopy(upstream('copied/app', 'v1'), v2('lay/back/app', 'v1'), { all: true, preserveDigests: true });
    const there = client(registry.url);
    const back = client(stack.url);
    expect((await there.resolveTag('copied/app', 'v1')).digest).toBe(index.descriptor.digest);
    expect((await back.resolveTag('lay/back/app', 'v1')).digest).toBe(index.descriptor.digest);
    expect((await back.getTag('lay/back/app', 'v1')).bytes).toEqual(index.bytes);
    for (const child of children) {
      const original = fixture.manifests.get(child)!;
      expect((await back.getManifest('lay/back/app', child)).bytes).toEqual(original.bytes);
      const json = original.json as { config: { digest: string }; layers: { digest: string }[] };
      for (const blob of [json.config, ...json.layers]) {
        expect((await back.resolveBlob('lay/back/app', blob.digest)).digest).toBe(blob.digest);
      }
    }
  });

  it('logs in with Basic auth and an app token as the password, and is refused without it', async () => {
    const token = 'skopeo-login-token-0123456789';
    const secured = await startV2Stack({ auth: authenticator({ tokens: [{ name: 'alice', token }] }) });
    try {
      const ref = `docker://${secured.host}/ro/${secured.preloaded.repository}:${secured.preloaded.tag}`;
      const args = ['--insecure-policy', 'inspect', '--tls-verify=false', '--raw'];
      const anonymous = await exec(SKOPEO_BINARY, [...args, ref]);
      expect(anonymous.exitCode).not.toBe(0);
      expect(anonymous.stderr).toMatch(/unauthorized|authentication required/i);
      const wrong = await exec(SKOPEO_BINARY, [...args, '--creds', 'alice:not-the-token', ref]);
      expect(wrong.exitCode).not.toBe(0);
      const { stdout } = await execOk(SKOPEO_BINARY, [...args, '--creds', `alice:${token}`, ref]);
      expect(JSON.parse(stdout)).toMatchObject({ schemaVersion: 2 });
    } finally {
      await secured.close();
    }
  });

  it('a signed image pushed from docker-registry into /v2 lists its signature in the referrers API', async () => {
    const signed = image({ seed: 'signed by skopeo test' });
    const signature = artifact({
      subject: subjectOf(signed),
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
      configMediaType: MediaType.OciConfig,
      layers: ['{"critical":{"image":{"docker-manifest-digest":"x"}}}'],
      layerMediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
    });
    const there = client(registry.url);
    await pushBuilt(there, 'signed/app', signed, { tag: 'v1' });
    await pushBuilt(there, 'signed/app', signature, { tag: 'sig' });
    await skopeoCopy(upstream('signed/app', 'v1'), v2('mem/signed/app', 'v1'), { preserveDigests: true });
    await skopeoCopy(upstream('signed/app', 'sig'), v2('mem/signed/app', 'sig'), { preserveDigests: true });
    const response = await fetch(`${stack.url}/v2/mem/signed/app/referrers/${signed.manifest.descriptor.digest}`);
    expect(response.status).toBe(200);
    const listed = (await response.json()) as { manifests: { digest: string; artifactType?: string }[] };
    expect(listed.manifests).toEqual([
      expect.objectContaining({ digest: signature.manifest.descriptor.digest, artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' }),
    ]);
  });
});
