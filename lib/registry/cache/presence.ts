/**
 * Presence records: "the registry answered `digest` in `repo`", per registry and account (`scope`). The content
 * store is shared by every source and repository, so bytes kept under a digest say nothing about where that
 * digest may be read: `cachedContent` serves kept bytes for a repository only when a presence record says the
 * registry has that digest there, and otherwise asks the registry once (HEAD) before serving them.
 *
 * A record is an entry of the same store (memory, disk, Redis — so restarts and replicas share them) under
 * `presence/<digest of the record>`, whose bytes are the record itself: `porthole presence v1`, the scope, the
 * repository and the digest, one per line. So a record is content addressed like the rest (the tiers verify it
 * on read like any `manifest/` entry), no repository name or scope needs escaping in a key or a file name, and a
 * record can only ever be found for exactly the scope, repository and digest it was made for.
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';
import { hashBytes } from '../hash';
import { Lru } from '../lru';
import type { ContentStore } from './content-store';
import { presenceKey } from './keys';

const encoder = new TextEncoder();

/** The store entry recording that `digest` is in `repo` of the registry and account `scope`. */
export function presenceEntry(scope: string, repo: string, digest: Digest): { key: string; bytes: Uint8Array } {
  const bytes = encoder.encode(`porthole presence v1\n${scope}\n${repo}\n${digest}`);
  return { key: presenceKey(hashBytes(bytes)), bytes };
}

/** The presence records of one scope in `store`. Store failures count as "not recorded" (costing a HEAD). */
export interface PresenceRecords {
  /** True when the registry was seen to have `digest` in `repo`. */
  has(repo: string, digest: Digest, signal?: AbortSignal): Promise<boolean>;
  /** Records that the registry has each of `digests` in `repo`. */
  record(repo: string, digests: readonly Digest[]): Promise<void>;
  /** Forgets `digests` in `repo` (deleted, or the registry said it does not have them). */
  forget(repo: string, digests: readonly Digest[]): Promise<void>;
}

/** How many recently written records a process remembers, so that a view does not write them again. */
const RECENT_LIMIT = 100_000;
const RECENT_KEY = Symbol.for('porthole.registry.recent-presence');

/**
 * Keys of the records this process wrote lately to `store`, least recently used first. A tag view records each
 * tag's manifest and config on every listing; writing them again would rewrite a disk file and a Redis key per tag
 * each time and fill the memory tier with copies. Forgetting one here only costs a second write; a record evicted
 * from the tiers costs one HEAD. On `globalThis`: Next.js bundles server code into several chunks.
 */
function recentRecords(store: ContentStore): Lru<string, true> {
  const root = globalThis as Record<symbol, unknown>;
  const byStore = (root[RECENT_KEY] ??= new WeakMap<ContentStore, Lru<string, true>>()) as WeakMap<ContentStore, Lru<string, true>>;
  let recent = byStore.get(store);
  if (!recent) {
    recent = new Lru(RECENT_LIMIT);
    byStore.set(store, recent);
  }
  return recent;
}

export function presenceRecords(store: ContentStore, scope: string): PresenceRecords {
  const recent = recentRecords(store);
  return {
    async has(repo, digest, signal) {
      return (await store.get(presenceEntry(scope, repo, digest).key, signal)) !== undefined;
    },
    async record(repo, digests) {
      await Promise.all(
        [...new Set(digests)].map(async (digest) => {
          const entry = presenceEntry(scope, repo, digest);
          // `get` keeps a record written again and again (a tag viewed all day) among the recent ones.
          if (recent.get(entry.key)) return;
          await store.put(entry.key, entry.bytes);
          recent.set(entry.key, true);
        }),
      );
    },
    async forget(repo, digests) {
      await Promise.all(
        digests.map((digest) => {
          const { key } = presenceEntry(scope, repo, digest);
          recent.delete(key);
          return store.delete(key);
        }),
      );
    },
  };
}
