/**
 * Estimates the space a cleanup frees: the blobs (configs, layers) and manifests reachable from the
 * manifests the plan leaves untagged, minus everything still reachable from the tags that stay, per
 * repository, each digest counted once. Manifests are read through the registry interface with bounded
 * concurrency and cached by digest (immutable).
 *
 * Not counted, on purpose (docs/cleanup.md): referrers of untagged manifests (a kept fallback tag or GC
 * policy decides their fate) and layers with `urls` (foreign layers a registry does not store). Sharing
 * with repositories outside the plan is not looked at (distribution only frees a blob no repository links):
 * the plan says whether other repositories exist, and so whether the figure is exact or an upper bound.
 */
import { isRegistryError } from '@/lib/oci/errors';
import { manifestReferences, parseManifest } from '@/lib/oci/manifest';
import type { Digest } from '@/lib/oci/types';
import type { RegistryReader } from '@/lib/registry/registry';
import type { ReclaimEstimate } from './types';

export interface ReclaimInput {
  repository: string;
  /** Manifests the plan leaves without tags: what may be freed. */
  untagged: Digest[];
  /** Digests still tagged after the plan: what they reach stays. */
  remaining: Digest[];
  /** True when some kept tag's digest is unknown (it may hold any blob): the estimate cannot be exact. */
  unknownRemaining?: boolean;
}

export interface ReclaimOptions {
  /** Manifest reads in flight at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  /** One blob store for all repositories (a registry), rather than one per repository (layout directories). */
  sharedStorage?: boolean;
}

export interface ReclaimResult extends Pick<ReclaimEstimate, 'blobs' | 'exact' | 'warnings'> {
  bytes: number;
}

/** At most this many warnings are listed; the rest are summarised. */
const MAX_WARNINGS = 20;

interface Node {
  blobs: { digest: Digest; size: number }[];
  children: Digest[];
  size: number;
}

/** Runs `work` over a growing queue with `concurrency` workers; stops taking items once `done()` says so. */
async function drain<T>(queue: T[], concurrency: number, work: (item: T) => Promise<void>, done: () => boolean): Promise<void> {
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      if (done()) return;
      await work(item);
    }
  };
  // Workers may run dry while others still add children: loop until the queue stays empty.
  while (queue.length > 0 && !done()) {
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }
}

class RepositoryWalker {
  private readonly nodes = new Map<Digest, Promise<Node | 'missing' | null>>();

  constructor(
    private readonly registry: RegistryReader,
    private readonly repository: string,
    private readonly warn: (message: string) => void,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** A manifest's direct references; `missing` for a child a sparse index lacks; null when unreadable (warned). */
  node(digest: Digest, child: boolean): Promise<Node | 'missing' | null> {
    let found = this.nodes.get(digest);
    if (!found) {
      found = this.read(digest, child);
      this.nodes.set(digest, found);
    }
    return found;
  }

  private async read(digest: Digest, child: boolean): Promise<Node | 'missing' | null> {
    try {
      const content = await this.registry.getManifest(this.repository, digest, { signal: this.signal });
      const parsed = parseManifest(content.bytes, content.descriptor.mediaType);
      const refs = manifestReferences(parsed.manifest);
      const blobs: Node['blobs'] = [];
      for (const blob of refs.blobs) {
        if (blob.urls?.length) continue; // foreign layer: not stored by the registry
        let size = blob.size;
        if (!(size >= 0)) size = (await this.registry.resolveBlob(this.repository, blob.digest, { signal: this.signal })).size;
        blobs.push({ digest: blob.digest, size });
      }
      return { blobs, children: refs.manifests.map((m) => m.digest), size: content.descriptor.size };
    } catch (error) {
      this.signal?.throwIfAborted();
      // A sparse index (child not pushed) holds nothing of that child: not a problem for the estimate.
      if (child && isRegistryError(error, 'MANIFEST_UNKNOWN')) return 'missing';
      const reason = error instanceof Error ? error.message : 'unreadable';
      this.warn(`${this.repository}@${digest} could not be read (${reason})`);
      return null;
    }
  }

  /**
   * Every digest (manifests and blobs) reachable from `roots`, with sizes; `visit` sees each as it is found.
   * `stop()` ends the walk early.
   */
  async reach(
    roots: Digest[],
    concurrency: number,
    visit: (digest: Digest) => void = () => {},
    stop: () => boolean = () => false,
  ): Promise<{ sizes: Map<Digest, number>; complete: boolean }> {
    const sizes = new Map<Digest, number>();
    let complete = true;
    const queue = roots.map((digest) => ({ digest, child: false }));
    const queued = new Set(roots);
    await drain(
      queue,
      concurrency,
      async ({ digest, child }) => {
        const node = await this.node(digest, child);
        if (node === 'missing') return;
        if (!node) {
          complete = false;
          return;
        }
        sizes.set(digest, node.size);
        visit(digest);
        for (const blob of node.blobs) {
          sizes.set(blob.digest, blob.size);
          visit(blob.digest);
        }
        for (const c of node.children) {
          if (queued.has(c)) continue;
          queued.add(c);
          queue.push({ digest: c, child: true });
        }
      },
      stop,
    );
    return { sizes, complete };
  }
}

/**
 * Estimates reclaimable bytes for several repositories (see the file comment). With `sharedStorage` (a
 * registry: one blob store for every repository) a digest counts once across them, and a digest any of the
 * given repositories keeps is not counted anywhere; without it (layout directories) each repository is its
 * own store.
 */
export async function estimateReclaim(registry: RegistryReader, inputs: readonly ReclaimInput[], options: ReclaimOptions = {}): Promise<ReclaimResult> {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const warnings: string[] = [];
  let dropped = 0;
  const warn = (message: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(message);
    else dropped++;
  };
  let exact = true;
  const keyOf = (repository: string, digest: Digest) => (options.sharedStorage ? digest : `${repository}\u0000${digest}`);
  // Everything the untagged manifests reach, then minus what the kept tags reach, in any given repository.
  const candidates = new Map<string, number>();
  const walkers = new Map<string, RepositoryWalker>();
  const walker = (repository: string) => {
    let found = walkers.get(repository);
    if (!found) walkers.set(repository, (found = new RepositoryWalker(registry, repository, warn, options.signal)));
    return found;
  };
  for (const input of inputs) {
    if (input.untagged.length === 0) continue;
    const freed = await walker(input.repository).reach(input.untagged, concurrency);
    if (!freed.complete) exact = false;
    for (const [digest, size] of freed.sizes) candidates.set(keyOf(input.repository, digest), size);
  }
  for (const input of inputs) {
    if (candidates.size === 0) break;
    // Only repositories with candidates of their own matter when each repository is its own store.
    if (!options.sharedStorage && input.untagged.length === 0) continue;
    // Stop reading kept manifests as soon as every candidate is known to be held.
    const held = await walker(input.repository).reach(
      input.remaining,
      concurrency,
      (digest) => candidates.delete(keyOf(input.repository, digest)),
      () => candidates.size === 0,
    );
    // An unreadable kept manifest may hold candidates: the number may be too high.
    if (!held.complete && candidates.size > 0) exact = false;
    if (input.unknownRemaining && candidates.size > 0) {
      exact = false;
      warn(`${input.repository}: some kept tags could not be resolved; they may share blobs with what is deleted`);
    }
  }
  let bytes = 0;
  for (const size of candidates.values()) bytes += size;
  if (dropped > 0) warnings.push(`… and ${dropped} more`);
  return { bytes, blobs: candidates.size, exact, warnings };
}

/**
 * Every digest reachable from `roots` in a repository (manifests, index children, configs, layers), and
 * whether every manifest could be read. Used before deleting an untagged manifest: one still reachable from
 * a kept tag (a platform manifest of a kept index) must stay.
 */
export async function reachableFrom(
  registry: RegistryReader,
  repository: string,
  roots: Digest[],
  options: ReclaimOptions = {},
): Promise<{ digests: Set<Digest>; complete: boolean; warnings: string[] }> {
  const warnings: string[] = [];
  const walker = new RepositoryWalker(registry, repository, (m) => warnings.push(m), options.signal);
  const { sizes, complete } = await walker.reach(roots, Math.max(1, options.concurrency ?? 4));
  return { digests: new Set(sizes.keys()), complete, warnings };
}
