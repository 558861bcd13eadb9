/**
 * Pushes the benchmark data straight into the registry (never through the delay proxy): the big repository of
 * {@link planSeed}, a one-image warm-up repository, and enough one-blob repositories for the catalog. Catalog
 * repositories are made with a cross-repository blob mount — one request each — because distribution lists a
 * repository as soon as it holds a blob link.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#mounting-a-blob-from-another-repository
 */
import { createHash } from 'node:crypto';
import { Agent, request } from 'undici';
import { MediaType } from '@/lib/oci/media-types';
import { Limiter } from '@/lib/registry/limiter';
import type { SeedPlan } from './seed-plan';

export const WARMUP_REPO = 'bench/warmup';
export const WARMUP_TAG = 'latest';

export interface SeedResult {
  /** Every repository name the catalog holds, in no particular order. */
  repositories: string[];
  requests: number;
  ms: number;
}

export interface SeedOptions {
  /** Total catalog size, the big and warm-up repositories included. */
  catalogSize: number;
  concurrency?: number;
}

/** Names of the filler repositories: `team-NN/service-NNN`, 100 per namespace. */
export function catalogNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `team-${String(Math.floor(i / 100)).padStart(2, '0')}/service-${String(i % 100).padStart(3, '0')}`);
}

export async function seedRegistry(registryUrl: string, plan: SeedPlan, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  const limiter = new Limiter(options.concurrency ?? 16);
  const run = <T>(task: () => Promise<T>) => limiter.run(task);
  let requests = 0;

  const call = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: Buffer, headers: Record<string, string> = {}) => {
    requests++;
    const res = await request(new URL(path, registryUrl), { method, body, headers, dispatcher });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`seed: ${method} ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    return res;
  };

  const pushBlob = async (repo: string, digest: string, bytes: Buffer) => {
    const start = await call('POST', `/v2/${repo}/blobs/uploads/`);
    const location = new URL(String(start.headers.location ?? ''), registryUrl);
    location.searchParams.set('digest', digest);
    await call('PUT', location.pathname + location.search, bytes, { 'content-type': 'application/octet-stream' });
  };
  const pushManifest = (repo: string, reference: string, mediaType: string, bytes: Buffer) =>
    call('PUT', `/v2/${repo}/manifests/${reference}`, bytes, { 'content-type': mediaType });

  try {
    // The warm-up repository: one tiny image, whose layer the catalog repositories mount.
    const layer = Buffer.from('porthole bench warm-up layer\n');
    const layerDigest = `sha256:${createHash('sha256').update(layer).digest('hex')}`;
    const config = Buffer.from(JSON.stringify({ created: '2024-01-01T00:00:00Z', architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
    await pushBlob(WARMUP_REPO, layerDigest, layer);
    await pushBlob(WARMUP_REPO, configDigest, config);
    const warmManifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: { mediaType: MediaType.OciConfig, digest: configDigest, size: config.length },
        layers: [{ mediaType: MediaType.OciLayerGzip, digest: layerDigest, size: layer.length }],
      }),
    );
    await pushManifest(WARMUP_REPO, WARMUP_TAG, MediaType.OciManifest, warmManifest);

    // The big repository: blobs, then index children by digest, then every tag (children before parents).
    await Promise.all([...plan.layers, ...plan.configs].map((b) => run(() => pushBlob(plan.repo, b.digest, b.bytes))));
    await Promise.all(plan.children.map((m) => run(() => pushManifest(plan.repo, m.digest, m.mediaType, m.bytes))));
    await Promise.all(plan.tops.flatMap((top) => top.tags.map((tag) => run(() => pushManifest(plan.repo, tag, top.mediaType, top.bytes)))));

    // Catalog filler: one mount each.
    const fillers = catalogNames(Math.max(0, options.catalogSize - 2));
    await Promise.all(
      fillers.map((name) =>
        run(async () => {
          const res = await call('POST', `/v2/${name}/blobs/uploads/?mount=${encodeURIComponent(layerDigest)}&from=${encodeURIComponent(WARMUP_REPO)}`);
          if (res.statusCode !== 201) throw new Error(`seed: mount into ${name} answered ${res.statusCode} (expected 201 Created)`);
        }),
      ),
    );
    return { repositories: [WARMUP_REPO, plan.repo, ...fillers], requests, ms: performance.now() - started };
  } finally {
    await dispatcher.close();
  }
}
