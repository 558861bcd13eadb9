/**
 * What the benchmark pushes, decided up front and deterministically (same options → same bytes → same
 * digests), together with the answer every client must find: each tag's digest, size, created time and
 * platforms. Pure: no I/O.
 *
 * The big repository: `manifests` top-level manifests, a share (`indexShare`, default 30 %) of them 3-platform
 * indexes (each child an image with its own config), the rest single-platform images; about half in OCI media
 * types, half in Docker's. `tags` tags spread over them 1–7 per manifest (aliases share digests). Layers come from a small
 * shared pool (registries store a blob once); configs are unique, so each image has its own created time.
 */
import { createHash } from 'node:crypto';
import { MediaType } from '@/lib/oci/media-types';

export interface PlannedBlob {
  digest: string;
  bytes: Buffer;
}

export interface PlannedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

/** What a registry browser should show for a tag. */
export interface ExpectedDetails {
  digest: string;
  size: number;
  created: string;
  /** Sorted `os/arch[/variant]`. */
  platforms: string[];
}

export interface PlannedTop extends PlannedManifest {
  kind: 'image' | 'index';
  tags: string[];
  expected: ExpectedDetails;
}

export interface SeedPlan {
  repo: string;
  layers: PlannedBlob[];
  configs: PlannedBlob[];
  /** Platform images of indexes, pushed by digest before their index. */
  children: PlannedManifest[];
  tops: PlannedTop[];
  /** Tag → expected details, for every tag. */
  expected: Map<string, ExpectedDetails>;
  /** The tags of the manifest with the newest created time (what `sort=-created` shows first). */
  newestTags: string[];
  /** The fewest registry requests that give every tag's details (see {@link minimumRequests}). */
  minimum: MinimumRequests;
}

export interface MinimumRequests {
  tagsList: number;
  /** One GET per tag: the tag's manifest (digest, media type and, for images, sizes). */
  tagManifests: number;
  /** Each index child once. */
  childManifests: number;
  /** Each image config once (created time, platform). */
  configs: number;
  total: number;
}

export interface SeedPlanOptions {
  repo?: string;
  tags?: number;
  manifests?: number;
  /** Share of top-level manifests that are 3-platform indexes (default 0.3). */
  indexShare?: number;
  layerPool?: number;
  seed?: number;
}

/** mulberry32: a small deterministic PRNG, good enough for spreading test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function blob(bytes: Buffer): PlannedBlob {
  return { digest: sha256(bytes), bytes };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

const INDEX_PLATFORMS: PlatformSpec[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
  { os: 'linux', architecture: 'arm', variant: 'v7' },
];

function platformText(p: PlatformSpec): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * Splits `total` into `parts` counts between 1 and 7 (mean total/parts), deterministic for `random`.
 * Throws when impossible.
 */
export function spreadCounts(total: number, parts: number, random: () => number): number[] {
  if (total < parts || total > parts * 7) throw new Error(`cannot spread ${total} tags over ${parts} manifests (1–7 each)`);
  const counts = Array.from({ length: parts }, () => 1 + Math.floor(random() * 7));
  let sum = counts.reduce((a, b) => a + b, 0);
  let i = 0;
  while (sum !== total) {
    const at = Math.floor(random() * parts);
    if (sum > total && counts[at]! > 1) {
      counts[at]!--;
      sum--;
    } else if (sum < total && counts[at]! < 7) {
      counts[at]!++;
      sum++;
    }
    if (++i > 1_000_000) throw new Error('spreadCounts did not converge');
  }
  return counts;
}

/** Tag names of top-level manifest `i` (several styles, as real repositories mix them). */
function tagNames(i: number, count: number, random: () => number): string[] {
  const hex = Math.floor(random() * 0xfffffff)
    .toString(16)
    .padStart(7, '0');
  const minor = Math.floor(i / 40);
  const patch = i % 40;
  const styles = [
    `1.${minor}.${patch}`,
    `build-${10_000 + i}`,
    `sha-${hex}`,
    `1.${minor}.${patch}-alpine`,
    `main-${i}`,
    `2024.${String(1 + (i % 12)).padStart(2, '0')}.${i}`,
    `rc-${i}`,
  ];
  return styles.slice(0, count);
}

export function planSeed(options: SeedPlanOptions = {}): SeedPlan {
  const repo = options.repo ?? 'bench/big';
  const tagTotal = options.tags ?? 2000;
  const manifestTotal = options.manifests ?? 500;
  const indexCount = Math.round(manifestTotal * (options.indexShare ?? 0.3));
  const random = prng(options.seed ?? 20_240_601);

  const layers: PlannedBlob[] = [];
  for (let i = 0; i < (options.layerPool ?? 40); i++) {
    // Random bytes (registries never look inside layers); sizes 2–34 KiB so sums are not trivial.
    const size = 2048 + Math.floor(random() * 32_768);
    const bytes = Buffer.alloc(size);
    for (let b = 0; b < size; b += 4) bytes.writeUInt32LE(Math.floor(random() * 0xffffffff), Math.min(b, size - 4));
    layers.push(blob(bytes));
  }

  // Created times: a shuffled order, so newest-first differs from name order.
  const order = Array.from({ length: manifestTotal }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const base = Date.UTC(2024, 0, 1);
  const createdAt = (rank: number, minutesBefore = 0) => new Date(base + rank * 3_600_000 - minutesBefore * 60_000).toISOString();

  const configs: PlannedBlob[] = [];
  const children: PlannedManifest[] = [];
  const tops: PlannedTop[] = [];
  const expected = new Map<string, ExpectedDetails>();
  const counts = spreadCounts(tagTotal, manifestTotal, random);

  const image = (docker: boolean, platform: PlatformSpec, created: string, id: string) => {
    const config = blob(
      json({
        created,
        architecture: platform.architecture,
        os: platform.os,
        ...(platform.variant ? { variant: platform.variant } : {}),
        config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'], Cmd: ['/app'], Labels: { 'bench.id': id } },
        rootfs: { type: 'layers', diff_ids: [] as string[] },
        history: [{ created, created_by: `bench build ${id}` }],
      }),
    );
    configs.push(config);
    const layerCount = 2 + Math.floor(random() * 3);
    const chosen = Array.from({ length: layerCount }, () => layers[Math.floor(random() * layers.length)]!);
    const unique = [...new Map(chosen.map((l) => [l.digest, l])).values()];
    const mediaType = docker ? MediaType.DockerManifest : MediaType.OciManifest;
    const bytes = json({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: docker ? MediaType.DockerConfig : MediaType.OciConfig, digest: config.digest, size: config.bytes.length },
      layers: unique.map((l) => ({ mediaType: docker ? MediaType.DockerLayerGzip : MediaType.OciLayerGzip, digest: l.digest, size: l.bytes.length })),
    });
    const size = config.bytes.length + unique.reduce((a, l) => a + l.bytes.length, 0);
    return { manifest: { digest: sha256(bytes), mediaType, bytes }, size };
  };

  let newestRank = -1;
  let newestTags: string[] = [];
  for (let i = 0; i < manifestTotal; i++) {
    const rank = order[i]!;
    const docker = i % 2 === 1;
    const tags = tagNames(i, counts[i]!, random);
    let top: PlannedTop;
    // Indexes spread evenly over the repository (exactly `indexCount` of them).
    const share = indexCount / manifestTotal;
    if (Math.floor((i + 1) * share) > Math.floor(i * share)) {
      const parts = INDEX_PLATFORMS.map((platform, k) => ({ platform, ...image(docker, platform, createdAt(rank, k), `${i}-${k}`) }));
      children.push(...parts.map((p) => p.manifest));
      const mediaType = docker ? MediaType.DockerManifestList : MediaType.OciIndex;
      const bytes = json({
        schemaVersion: 2,
        mediaType,
        manifests: parts.map((p) => ({
          mediaType: p.manifest.mediaType,
          digest: p.manifest.digest,
          size: p.manifest.bytes.length,
          platform: p.platform,
        })),
      });
      const digest = sha256(bytes);
      top = {
        digest,
        mediaType,
        bytes,
        kind: 'index',
        tags,
        expected: {
          digest,
          size: parts.reduce((a, p) => a + p.size, 0),
          created: createdAt(rank),
          platforms: INDEX_PLATFORMS.map(platformText).sort(),
        },
      };
    } else {
      const platform = i % 5 === 3 ? INDEX_PLATFORMS[1]! : INDEX_PLATFORMS[0]!;
      const made = image(docker, platform, createdAt(rank), `${i}`);
      top = {
        ...made.manifest,
        kind: 'image',
        tags,
        expected: { digest: made.manifest.digest, size: made.size, created: createdAt(rank), platforms: [platformText(platform)] },
      };
    }
    tops.push(top);
    for (const tag of tags) expected.set(tag, top.expected);
    if (rank > newestRank) {
      newestRank = rank;
      newestTags = tags;
    }
  }
  if (expected.size !== tagTotal) throw new Error(`tag names collide: ${expected.size} unique of ${tagTotal}`);

  const minimum: MinimumRequests = {
    tagsList: 1,
    tagManifests: tagTotal,
    childManifests: children.length,
    configs: configs.length,
    total: 1 + tagTotal + children.length + configs.length,
  };
  return { repo, layers, configs, children, tops, expected, newestTags, minimum };
}
