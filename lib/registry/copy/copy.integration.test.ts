/**
 * Copying between real registries (Debian's docker-registry 2.8.2 started on loopback) with different auth,
 * within one registry (mounts, counted through a proxy), from and to an OCI layout; every manifest checked
 * byte for byte with skopeo; an interrupted copy re-run to completion.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '@/bench/proxy';
import { referrersFallbackTag } from '@/lib/oci/manifest';
import { createHttpRegistry, type HttpRegistry } from '@/lib/registry/http';
import { collect } from '@/lib/registry/iter';
import { createLayoutRegistry } from '@/lib/registry/layout';
import type { Registry } from '@/lib/registry/registry';
import { artifact, image, index, pushBuilt, subjectOf, type Built } from '@/lib/registry/testing/build';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { dockerRef, skopeoRawManifest } from '@/lib/registry/testing/skopeo';
import { copyManifest, type CopyEvent } from './index';

const amd64 = image({ seed: 'copy amd64', platform: { os: 'linux', architecture: 'amd64' }, layers: ['amd64 layer', 'shared layer'] });
const arm64 = image({ seed: 'copy arm64', platform: { os: 'linux', architecture: 'arm64' }, layers: ['arm64 layer', 'shared layer'] });
const attestation = image({ seed: 'copy att', platform: { os: 'unknown', architecture: 'unknown' }, layers: ['{"_type":"https://in-toto.io/Statement/v0.1"}'] });
const multi = index([
  { built: amd64, platform: { os: 'linux', architecture: 'amd64' } },
  { built: arm64, platform: { os: 'linux', architecture: 'arm64' } },
  {
    built: attestation,
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd64.manifest.descriptor.digest },
  },
]);
const sbom = artifact({ subject: subjectOf(multi), artifactType: 'application/spdx+json', layers: ['{"spdxVersion":"SPDX-2.3"}'] });
const signature = artifact({ subject: subjectOf(multi), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['signature of the index'] });
const sbomSignature = artifact({ subject: subjectOf(sbom), artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: ['signature of the sbom'] });
const referrers = [sbom, signature, sbomSignature];

function manifestsOf(built: Built): Built[] {
  return [...built.children.flatMap(manifestsOf), built];
}
const everyManifest = [...manifestsOf(multi), ...referrers];

async function seed(registry: Registry, repo: string): Promise<void> {
  await pushBuilt(registry, repo, multi, { tag: 'v1' });
  for (const referrer of referrers) await pushBuilt(registry, repo, referrer);
}

/** Every manifest of the copy, fetched with skopeo, equals the bytes that were built. */
async function expectServedByteForByte(reg: RunningRegistry, repo: string): Promise<void> {
  for (const built of everyManifest) {
    const raw = await skopeoRawManifest(dockerRef(reg, repo, undefined) + `@${built.manifest.descriptor.digest}`, reg.credentials);
    expect(raw).toBe(new TextDecoder().decode(built.manifest.bytes));
  }
  expect(await skopeoRawManifest(dockerRef(reg, repo, 'v1'), reg.credentials)).toBe(new TextDecoder().decode(multi.manifest.bytes));
}

describe('copy between real registries', () => {
  let open: RunningRegistry;
  let token: RunningRegistry;
  let basic: RunningRegistry;
  const clients: HttpRegistry[] = [];
  const dirs: string[] = [];
  const client = (reg: RunningRegistry, url = reg.url) => {
    const c = createHttpRegistry({ url, credentials: reg.credentials, retries: { max: 0 } });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    [open, token, basic] = await Promise.all([startRegistry(), startRegistry({ auth: 'token' }), startRegistry({ auth: 'basic' })]);
    await seed(client(open), 'team/app');
    await seed(client(basic), 'team/app');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([open, token, basic].map((r) => r?.stop()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('copies an index with attestations and two levels of referrers from an open registry to a token one', async () => {
    const result = await copyManifest({ registry: client(open), repo: 'team/app', tag: 'v1' }, { registry: client(token), repo: 'prod/app', tag: 'v1' });
    expect(result.manifests).toHaveLength(everyManifest.length);
    expect(result.referrers.sort()).toEqual(referrers.map((r) => r.manifest.descriptor.digest).sort());
    await expectServedByteForByte(token, 'prod/app');
    // 2.8.2 has no referrers API: the destination's fallback indexes were written by the pushes.
    const dest = client(token);
    const onIndex = await collect(dest.listReferrers('prod/app', multi.manifest.descriptor.digest));
    expect(onIndex.map((d) => d.digest).sort()).toEqual([sbom, signature].map((r) => r.manifest.descriptor.digest).sort());
    expect(await collect(dest.listTags('prod/app'))).toContain(referrersFallbackTag(sbom.manifest.descriptor.digest));
  });

  it('copies from a Basic-auth registry to an open one', async () => {
    const result = await copyManifest({ registry: client(basic), repo: 'team/app', tag: 'v1' }, { registry: client(open), repo: 'from-basic/app', tag: 'v1' });
    expect(result.blobs.sent).toBeGreaterThan(0);
    await expectServedByteForByte(open, 'from-basic/app');
  });

  it('mounts every blob within one registry and fetches none (counted through a proxy)', async () => {
    let proxy: DelayProxy | undefined;
    try {
      proxy = await startDelayProxy({ upstream: open.url, delayMs: 0 });
      const viaProxy = client(open, proxy.url);
      const result = await copyManifest({ registry: viaProxy, repo: 'team/app', tag: 'v1' }, { registry: viaProxy, repo: 'backup/app', tag: 'v1' });
      expect(result.blobs.sent).toBe(0);
      expect(result.blobs.mounted).toBeGreaterThan(0);
      expect(result.bytesSent).toBe(0);
      const counts = proxy.counts().byClass;
      expect(counts['GET blob'] ?? 0).toBe(0);
      expect(counts['POST upload']).toBe(result.blobs.mounted);
      await expectServedByteForByte(open, 'backup/app');
    } finally {
      await proxy?.stop();
    }
  });

  it('copies from a registry into a layout and from the layout into another registry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'porthole-copy-layout-'));
    dirs.push(dir);
    const layout = createLayoutRegistry(dir);
    await copyManifest({ registry: client(open), repo: 'team/app', tag: 'v1' }, { registry: layout, repo: 'mirror/app', tag: 'v1' });
    expect((await layout.getTag('mirror/app', 'v1')).bytes).toEqual(multi.manifest.bytes);
    await copyManifest({ registry: layout, repo: 'mirror/app', tag: 'v1' }, { registry: client(basic), repo: 'from-layout/app', tag: 'v1' });
    await expectServedByteForByte(basic, 'from-layout/app');
    await layout.close();
  });

  it('finishes an interrupted copy on a re-run without sending any blob twice', async () => {
    const target = await startRegistry();
    try {
      const sent: string[] = [];
      let halted: Promise<void> | undefined;
      const onEvent = (event: CopyEvent) => {
        if (event.type === 'blob' && event.action === 'sent') {
          sent.push(event.digest);
          if (sent.length === 2 && !halted) halted = target.halt();
        }
      };
      const from = { registry: client(open), repo: 'team/app', tag: 'v1' };
      await expect(copyManifest(from, { registry: client(target), repo: 'half/app', tag: 'v1' }, { onEvent, concurrency: 1 })).rejects.toThrow();
      const firstRun = [...sent];
      expect(firstRun.length).toBeGreaterThanOrEqual(2);
      await halted;
      await target.start();
      sent.length = 0;
      const result = await copyManifest(from, { registry: client(target), repo: 'half/app', tag: 'v1' }, { onEvent });
      expect(sent.filter((d) => firstRun.includes(d))).toEqual([]);
      expect(result.blobs.skipped).toBeGreaterThanOrEqual(firstRun.length);
      await expectServedByteForByte(target, 'half/app');
    } finally {
      await target.stop();
    }
  });
});
