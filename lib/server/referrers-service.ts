/**
 * The tree of referrers below a digest: each level from the registry's `listReferrers`, to `depth` levels
 * (default 2, max 5), cycle-safe (a digest already on the path is not walked again: fallback indexes are
 * mutable, so a loop can be written). Each node says how it was found:
 * - `api`: the registry's referrers API (http sources that have it; the memory backend's native index);
 * - `fallback-tag`: listed in the `<alg>-<encoded>` fallback index (http sources without the API; layout
 *   entries that the fallback index lists);
 * - `scan`: found by scanning the manifests for a matching `subject` (layout sources, for referrers that no
 *   fallback index lists, e.g. written by tools that skip the tag schema).
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#listing-referrers
 */
import 'server-only';
import type { ReferrerFoundBy, ReferrerNode, ReferrersResponse } from '@/lib/api/types';
import { isRegistryError } from '@/lib/oci/errors';
import { parseManifest, referrersFallbackTag } from '@/lib/oci/manifest';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { collect } from '@/lib/registry/iter';
import { shapeReferrerNode } from './shape';
import type { Source } from './sources';

export interface ReferrersQuery {
  /** Levels to walk (1..5). */
  depth: number;
  /** Only direct referrers with this artifactType (deeper levels are not filtered). */
  artifactType?: string;
}

/** Digests listed in the subject's fallback index, or an empty set when there is none (or it is not an index). */
async function fallbackDigests(source: Source, repo: string, subject: Digest, signal?: AbortSignal): Promise<Set<Digest>> {
  try {
    const content = await source.pool.run(() => source.registry.getTag(repo, referrersFallbackTag(subject), { signal }), signal);
    const parsed = parseManifest(content.bytes, content.descriptor.mediaType);
    const manifests = 'manifests' in parsed.manifest && Array.isArray(parsed.manifest.manifests) ? parsed.manifest.manifests : [];
    return new Set(manifests.map((d) => d.digest));
  } catch (error) {
    if (isRegistryError(error)) return new Set();
    throw error;
  }
}

/** How each referrer of `subject` was found (see the module comment). */
async function foundByOf(
  source: Source,
  repo: string,
  subject: Digest,
  referrers: readonly Descriptor[],
  signal?: AbortSignal,
): Promise<(d: Descriptor) => ReferrerFoundBy> {
  if (referrers.length === 0 || source.config.kind === 'memory') return () => 'api';
  if (source.config.kind === 'http') {
    const caps = await source.registry.capabilities(repo, { signal }).catch(() => undefined);
    return caps?.referrersApi === true ? () => 'api' : () => 'fallback-tag';
  }
  const listed = await fallbackDigests(source, repo, subject, signal);
  return (d) => (listed.has(d.digest) ? 'fallback-tag' : 'scan');
}

async function walk(
  source: Source,
  repo: string,
  subject: Digest,
  level: number,
  query: ReferrersQuery,
  path: ReadonlySet<Digest>,
  signal?: AbortSignal,
): Promise<ReferrerNode[]> {
  const options = level === 1 && query.artifactType ? { artifactType: query.artifactType } : {};
  let referrers = await source.pool.run(() => collect(source.registry.listReferrers(repo, subject, { ...options, signal })), signal);
  // Registries may ignore the filter (no `OCI-Filters-Applied`): apply it again here.
  if (options.artifactType) referrers = referrers.filter((d) => d.artifactType === options.artifactType);
  const foundBy = await foundByOf(source, repo, subject, referrers, signal);
  return Promise.all(
    referrers.map(async (descriptor) => {
      const base = { descriptor, foundBy: foundBy(descriptor) };
      if (path.has(descriptor.digest)) return shapeReferrerNode({ ...base, referrers: [], truncated: 'cycle' });
      if (level >= query.depth) return shapeReferrerNode({ ...base, referrers: [], truncated: 'depth' });
      const below = await walk(source, repo, descriptor.digest, level + 1, query, new Set([...path, descriptor.digest]), signal);
      return shapeReferrerNode({ ...base, referrers: below });
    }),
  );
}

/** The referrers tree of `subject` (a validated digest). Throws NAME_UNKNOWN, UNAUTHORIZED, UNAVAILABLE… */
export async function getReferrersTree(source: Source, repo: string, subject: Digest, query: ReferrersQuery, signal?: AbortSignal): Promise<ReferrersResponse> {
  return { subject, referrers: await walk(source, repo, subject, 1, query, new Set([subject]), signal) };
}
