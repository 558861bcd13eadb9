import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { Annotation, MediaType } from '@/lib/oci/media-types';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest } from '@/lib/oci/types';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { generateDemo, type DemoSummary } from './generate';
import { ArtifactType } from './supply-chain';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function json<T>(registry: Registry, repo: string, ref: string): Promise<T> {
  const content = ref.startsWith('sha256:') ? await registry.getManifest(repo, ref) : await registry.getTag(repo, ref);
  return JSON.parse(new TextDecoder().decode(content.bytes)) as T;
}

async function blobBytes(registry: Registry, repo: string, digest: string): Promise<Uint8Array> {
  const blob = await registry.getBlob(repo, digest);
  return new Uint8Array(await new Response(blob.body).arrayBuffer());
}

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

let registry: Registry;
let summary: DemoSummary;
beforeAll(async () => {
  registry = createMemoryRegistry();
  summary = await generateDemo(registry);
});

describe('generateDemo', () => {
  it('is deterministic: a second run gives the same tag → digest map', async () => {
    const again = await generateDemo(createMemoryRegistry());
    expect(again.tags.size).toBe(summary.tags.size);
    expect([...again.tags]).toEqual([...summary.tags]);
    expect(again.manifests).toBe(summary.manifests);
  });


  it('never reads the clock or Math.random', async () => {
    const dir = new URL('.', import.meta.url);
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts') || name === 'ensure.ts' || name === 'cli.ts') continue;
      const source = await readFile(new URL(name, dir), 'utf8');
      expect(source, name).not.toMatch(/Date\.now\(|Math\.random\(|new Date\(\)/);
    }
  });

  it('writes at least 6 repositories, some in nested namespaces', async () => {
    const repos = await collect(registry.listRepositories());
    expect(repos.length).toBeGreaterThanOrEqual(6);
    expect(repos).toEqual(expect.arrayContaining(['platform/api', 'platform/web', 'tools/cli', 'data/etl/worker', 'legacy/app', 'ml/models/classifier', 'ci/builds']));
    expect(repos.filter((r) => r.split('/').length >= 3).length).toBeGreaterThanOrEqual(2);
  });

  it('has a repository with 300+ tags: semver releases, builds, ci-<sha>, and floating tags sharing digests', async () => {
    const tags = await collect(registry.listTags('platform/api'));
    expect(tags.length).toBeGreaterThanOrEqual(300);
    expect(tags.filter((t) => /^\d+\.\d+\.\d+$/.test(t)).length).toBeGreaterThanOrEqual(40);
    expect(tags.filter((t) => /^build-2026\d{4}-\d$/.test(t)).length).toBeGreaterThanOrEqual(100);
    expect(tags.filter((t) => /^ci-[0-9a-f]{7}$/.test(t)).length).toBeGreaterThanOrEqual(50);
    expect(tags).toEqual(expect.arrayContaining(['latest', 'stable', '1', '2', '3', '3.5.0-rc.2', 'nightly']));

    const digestOf = async (tag: string) => (await registry.resolveTag('platform/api', tag)).digest;
    const finals = tags.filter((t) => /^\d+\.\d+\.\d+$/.test(t));
    const newest = finals.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1)!;
    expect(await digestOf('latest')).toBe(await digestOf(newest));
    expect(await digestOf('3')).toBe(await digestOf(newest));
    const stable = await digestOf('stable');
    expect(stable).not.toBe(await digestOf('latest'));
    expect(await Promise.all(finals.map(digestOf))).toContain(stable);
    const ci = tags.find((t) => t.startsWith('ci-'))!;
    expect(await Promise.all(tags.filter((t) => t.startsWith('build-')).map(digestOf))).toContain(await digestOf(ci));
  });

  it('builds multi-platform OCI indexes with BuildKit attestation manifests', async () => {
    const index = await json<ImageIndex>(registry, 'platform/web', 'latest');
    expect(index.mediaType).toBe(MediaType.OciIndex);
    const images = index.manifests.filter((m) => m.platform?.os === 'linux');
    expect(images.map((m) => [m.platform?.architecture, m.platform?.variant ?? ''].join('/')).sort()).toEqual(['amd64/', 'arm/v7', 'arm64/v8']);
    const attestations = index.manifests.filter((m) => m.annotations?.[Annotation.DockerReferenceType] === 'attestation-manifest');
    expect(attestations).toHaveLength(3);
    for (const attestation of attestations) {
      expect(attestation.platform).toEqual({ architecture: 'unknown', os: 'unknown' });
      expect(images.map((m) => m.digest)).toContain(attestation.annotations?.[Annotation.DockerReferenceDigest]);
      const manifest = await json<ImageManifest>(registry, 'platform/web', attestation.digest);
      expect(manifest.layers.map((l) => l.mediaType)).toEqual([MediaType.InTotoLayer, MediaType.InTotoLayer]);
      expect(manifest.layers.map((l) => l.annotations?.['in-toto.io/predicate-type'])).toEqual(['https://spdx.dev/Document', 'https://slsa.dev/provenance/v0.2']);
    }
  });

  it('attaches signature, SBOM and provenance referrers, and signs the SBOM', async () => {
    for (const repo of ['platform/web', 'platform/api']) {
      const subject = await registry.resolveTag(repo, 'latest');
      const referrers = await collect(registry.listReferrers(repo, subject.digest));
      expect(referrers.map((r) => r.artifactType).sort()).toEqual([ArtifactType.InToto, ArtifactType.CosignSignature, ArtifactType.Spdx].sort());
      const sbom = referrers.find((r) => r.artifactType === ArtifactType.Spdx)!;
      const onSbom = await collect(registry.listReferrers(repo, sbom.digest));
      expect(onSbom.map((r) => r.artifactType)).toEqual([ArtifactType.CosignSignature]);
      const signature = await json<ImageManifest>(registry, repo, onSbom[0]!.digest);
      expect(signature.subject?.digest).toBe(sbom.digest);
      expect(signature.config.mediaType).toBe(MediaType.OciEmpty);
      expect(signature.layers[0]?.annotations?.['dev.cosignproject.cosign/signature']).toMatch(/^[A-Za-z0-9+/=]+$/);
      const provenance = referrers.find((r) => r.artifactType === ArtifactType.InToto)!;
      const statement = await json<ImageManifest>(registry, repo, provenance.digest);
      const body = JSON.parse(new TextDecoder().decode(await blobBytes(registry, repo, statement.layers[0]!.digest))) as { predicateType: string };
      expect(body.predicateType).toBe('https://slsa.dev/provenance/v1');
    }
  });

  it('writes Docker schema2 images and a Docker manifest list', async () => {
    const list = await registry.getTag('tools/cli', 'latest');
    expect(list.descriptor.mediaType).toBe(MediaType.DockerManifestList);
    const body = JSON.parse(new TextDecoder().decode(list.bytes)) as ImageIndex;
    expect(body.manifests).toHaveLength(3);
    for (const child of body.manifests) {
      expect(child.mediaType).toBe(MediaType.DockerManifest);
      const manifest = await json<ImageManifest>(registry, 'tools/cli', child.digest);
      expect(manifest.config.mediaType).toBe(MediaType.DockerConfig);
      expect(manifest.layers.every((l) => l.mediaType === MediaType.DockerLayerGzip)).toBe(true);
    }
    expect((await registry.resolveTag('legacy/app', '1.0')).mediaType).toBe(MediaType.DockerManifest);
    expect((await registry.resolveTag('legacy/app', 'deprecated')).digest).toBe((await registry.resolveTag('legacy/app', '1.0')).digest);
  });

  it('gives images real layers (tar+gzip, diff_ids match), small true sizes, and history matching the layers', async () => {
    const checked: Descriptor[] = [];
    for (const [repo, tag] of [['platform/api', 'build-20260105-1'], ['data/etl/worker', '2026.03'], ['legacy/app', '1.2']] as const) {
      const manifest = await json<ImageManifest>(registry, repo, tag);
      const configBytes = await blobBytes(registry, repo, manifest.config.digest);
      expect(configBytes.length).toBe(manifest.config.size);
      const config = JSON.parse(new TextDecoder().decode(configBytes)) as ImageConfig;
      expect(config.history!.filter((h) => !h.empty_layer)).toHaveLength(manifest.layers.length);
      expect(config.history!.some((h) => h.empty_layer)).toBe(true);
      expect(config.created).toMatch(/^2026-/);
      expect(config.config?.Env?.length).toBeGreaterThan(0);
      for (const [i, layer] of manifest.layers.entries()) {
        const bytes = await blobBytes(registry, repo, layer.digest);
        expect(bytes.length).toBe(layer.size);
        // Base layers hold a few hundred small files (~30 KB), the largest layer ~130 KB: the demo stays small.
        expect(bytes.length).toBeLessThan(256 * 1024);
        const tar = gunzipSync(bytes);
        expect(tar.length % 512).toBe(0);
        expect(sha256(tar)).toBe(config.rootfs!.diff_ids[i]);
        checked.push(layer);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(6);
  });

  it('spreads creation dates over months of 2026', async () => {
    const created = new Set<string>();
    for (const tag of ['1.0.0', '2.0.0', '3.0.0', 'nightly']) {
      const index = await json<ImageIndex | ImageManifest>(registry, 'platform/api', tag);
      const manifest = 'manifests' in index ? await json<ImageManifest>(registry, 'platform/api', index.manifests[0]!.digest) : index;
      const config = JSON.parse(new TextDecoder().decode(await blobBytes(registry, 'platform/api', manifest.config.digest))) as ImageConfig;
      created.add(config.created!.slice(0, 7));
    }
    expect(created.size).toBeGreaterThanOrEqual(3);
    expect([...created].every((m) => m.startsWith('2026-'))).toBe(true);
  });

  it('includes non-image artifacts with titled layers', async () => {
    const model = await json<ImageManifest>(registry, 'ml/models/classifier', 'latest');
    expect(model.artifactType).toBe('application/vnd.example.ml.model.v1');
    expect(model.layers.map((l) => l.annotations?.[Annotation.Title])).toEqual(['model.onnx', 'labels.txt', 'metrics.json']);
    const chart = await json<ImageManifest>(registry, 'charts/platform', '0.3.1');
    expect(chart.config.mediaType).toBe('application/vnd.cncf.helm.config.v1+json');
  });
});
