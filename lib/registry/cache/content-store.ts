/**
 * Content addressed by digest (manifests, config blobs, referrers indexes, layer tables of contents) never
 * changes, so it can be kept anywhere and shared by every source and replica. A `ContentStore` is one place that
 * keeps such bytes — process memory, the data directory, a shared Redis/Valkey — and {@link tieredStore} puts
 * several in front of one another.
 *
 * Keys are namespaced by what the bytes are (`manifest/sha256:…`, `blob/sha256:…`, `toc/sha256:…`): the bytes
 * under a `manifest/` or `blob/` key must hash to the digest in the key, and the tiered store checks that on
 * every read from a tier, so a corrupted or tampered entry is dropped and read again from the registry, never
 * served. Derived content (`toc/…`) is keyed by the digest it was derived from and is not hash-checked.
 *
 * Tiers never throw to their callers' users: a tier that fails (disk full, Redis down) counts as a miss and the
 * failure is reported through `onTierError` (logs, metrics).
 */

/** One place that keeps content by key. Implementations must be safe to call concurrently. */
export interface ContentStore {
  /** Short name for logs and metrics: `memory`, `disk`, `redis`. */
  readonly name: string;
  /**
   * True when a read returns the very bytes this process put (process memory): they were verified before they
   * were put, so {@link tieredStore} serves them without verifying them again. Tiers whose bytes can change
   * behind the process's back (files, Redis) leave it unset and are verified on every read.
   */
  readonly trusted?: boolean;
  /** The bytes under `key`, or undefined when absent. May throw on an I/O failure. */
  get(key: string, signal?: AbortSignal): Promise<Uint8Array | undefined>;
  /**
   * Keeps `bytes` under `key` (may evict others). May throw on an I/O failure. Callers put only bytes that are
   * what the key says (under `manifest/`, `blob/`, `presence/`: bytes that hash to the key's digest, verified by
   * the caller or by the reader that produced them): a trusted tier gives them back unchecked.
   */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Forgets `key` (a corrupted entry). May throw on an I/O failure. */
  delete(key: string): Promise<void>;
}

/** What a tiered read saw, for metrics: the tier that answered, or `miss`. */
export interface TierEvent {
  tier: string;
  outcome: 'hit' | 'miss' | 'corrupt' | 'error';
  error?: unknown;
}

export interface TieredStoreOptions {
  /**
   * Checks bytes read back from a tier against their key (for `manifest/` and `blob/` keys: the digest).
   * Returns false for bytes that must not be served.
   */
  verify: (key: string, bytes: Uint8Array) => boolean;
  /** Called for every tier consulted on a read (hit, miss, corrupt entry, failure). */
  onEvent?: (event: TierEvent) => void;
}

/**
 * Tiers in order (fastest first). A read asks each tier in turn; a hit is verified (unless the tier is
 * `trusted`: memory holds only bytes verified before they were put), then copied into the faster tiers that
 * missed (so the next read stops earlier). A write goes to every tier. A failing or corrupt
 * tier is a miss for that read; a corrupt entry is deleted from its tier.
 */
export function tieredStore(tiers: readonly ContentStore[], options: TieredStoreOptions): ContentStore {
  const report = (event: TierEvent) => options.onEvent?.(event);
  return {
    name: tiers.map((tier) => tier.name).join('+'),
    async get(key, signal) {
      for (let index = 0; index < tiers.length; index++) {
        const tier = tiers[index]!;
        let bytes: Uint8Array | undefined;
        try {
          bytes = await tier.get(key, signal);
        } catch (error) {
          if (signal?.aborted) throw error;
          report({ tier: tier.name, outcome: 'error', error });
          continue;
        }
        if (!bytes) {
          report({ tier: tier.name, outcome: 'miss' });
          continue;
        }
        if (!tier.trusted && !options.verify(key, bytes)) {
          report({ tier: tier.name, outcome: 'corrupt' });
          await tier.delete(key).catch((error: unknown) => report({ tier: tier.name, outcome: 'error', error }));
          continue;
        }
        report({ tier: tier.name, outcome: 'hit' });
        for (const faster of tiers.slice(0, index)) {
          await faster.put(key, bytes).catch((error: unknown) => report({ tier: faster.name, outcome: 'error', error }));
        }
        return bytes;
      }
      return undefined;
    },
    async put(key, bytes) {
      await Promise.all(
        tiers.map((tier) =>
          tier.put(key, bytes).catch((error: unknown) => report({ tier: tier.name, outcome: 'error', error })),
        ),
      );
    },
    async delete(key) {
      await Promise.all(
        tiers.map((tier) =>
          tier.delete(key).catch((error: unknown) => report({ tier: tier.name, outcome: 'error', error })),
        ),
      );
    },
  };
}
