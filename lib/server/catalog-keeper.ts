/**
 * One source's catalog, kept: the whole repository list is read once and then served at once
 * (stale-while-revalidate). A list older than the cache time is still answered immediately, and starts one
 * refresh in the background; its answer replaces the list when it arrives. A refresh that fails keeps the old
 * list and is reported with it (`refreshError`), so the reader sees both the list and how old it is.
 *
 * One refresh at a time: every reader that needs a refresh while one runs joins it. A shared store (Redis,
 * lib/server/redis/shared-catalog.ts) lets replicas take each other's lists and keeps two replicas from
 * refreshing the same catalog at once. `invalidate()` (after a delete, push or copy through Porthole) drops
 * the list: the next reader waits for a fresh one, and a refresh started before the invalidation is not kept.
 *
 * A cache time of 0 keeps nothing: every read asks the registry (joining a read already running).
 */
import 'server-only';
import { isRegistryError } from '@/lib/oci/errors';

/** A list of repositories and when it was read from the registry (epoch ms). */
export interface KeptList {
  names: string[];
  listedAt: number;
}

/** Where replicas share their lists; every method is best effort (a miss or a no-op when unavailable). */
export interface SharedCatalogStore {
  read(): Promise<KeptList | undefined>;
  write(list: KeptList): Promise<void>;
  forget(): Promise<void>;
  /** Takes the cross-replica refresh lock: a release function, or undefined when another replica holds it. */
  lock(): Promise<(() => Promise<void>) | undefined>;
}

/** What a read answers. */
export interface CatalogState extends KeptList {
  /** A refresh is running (the list may change: ask again). */
  refreshing: boolean;
  /** The last refresh failed (the list is the one before it). */
  refreshError?: { code: string; message: string; at: number };
}

export interface CatalogKeeperOptions {
  /** How long a list is answered without a refresh. */
  maxAgeMs: number;
  /** Reads every repository name from the registry. */
  read: () => Promise<string[]>;
  shared?: SharedCatalogStore;
  now?: () => number;
}

export class CatalogKeeper {
  private kept?: KeptList;
  private running?: Promise<KeptList>;
  private refreshError?: CatalogState['refreshError'];
  /** Bumped by invalidate(): a refresh started under an older generation is not kept. */
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: CatalogKeeperOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The kept list, read first when there is none (errors of that first read are thrown). `fresh` waits for a
   * registry read (joining one already running); its failure is thrown only when no list is kept.
   */
  async get({ fresh = false }: { fresh?: boolean } = {}): Promise<CatalogState> {
    if (this.options.maxAgeMs <= 0) return this.state(await this.refresh());
    if (fresh) {
      try {
        return this.state(await this.refresh());
      } catch (error) {
        if (!this.kept) throw error;
        return this.state(this.kept);
      }
    }
    if (!this.kept) await this.adoptShared();
    if (!this.kept) return this.state(await this.refresh());
    if (this.isStale(this.kept)) this.refreshInBackground();
    return this.state(this.kept);
  }

  /** Forgets the list here and in the shared store: the next read asks the registry. */
  async invalidate(): Promise<void> {
    this.generation += 1;
    this.kept = undefined;
    this.running = undefined;
    this.refreshError = undefined;
    await this.options.shared?.forget();
  }

  private isStale(list: KeptList): boolean {
    return this.now() - list.listedAt >= this.options.maxAgeMs;
  }

  private state(list: KeptList): CatalogState {
    return { ...list, refreshing: this.running !== undefined, ...(this.refreshError ? { refreshError: this.refreshError } : {}) };
  }

  private async adoptShared(): Promise<boolean> {
    const generation = this.generation;
    const shared = await this.options.shared?.read();
    if (!shared || generation !== this.generation) return false;
    if (this.kept && this.kept.listedAt >= shared.listedAt) return false;
    this.kept = shared;
    return true;
  }

  /** Starts a refresh unless one runs; a newer list another replica shared counts as one. */
  private refreshInBackground(): void {
    if (this.running) return;
    const work = (async () => {
      if ((await this.adoptShared()) && !this.isStale(this.kept!)) return this.kept!;
      const release = this.options.shared ? await this.options.shared.lock() : async () => undefined;
      // Another replica is refreshing: its list arrives through the shared store on a later read.
      if (!release) return this.kept!;
      try {
        return await this.readRegistry();
      } finally {
        await release();
      }
    })();
    this.track(work).catch(() => {
      // Reported through refreshError; the kept list stays.
    });
  }

  /** A registry read, joining the one running. */
  private refresh(): Promise<KeptList> {
    return this.running ?? this.track(this.readRegistry());
  }

  private track(work: Promise<KeptList>): Promise<KeptList> {
    const running = work.finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private async readRegistry(): Promise<KeptList> {
    const generation = this.generation;
    try {
      const list = { names: await this.options.read(), listedAt: this.now() };
      if (generation === this.generation) {
        this.kept = list;
        this.refreshError = undefined;
        void this.options.shared?.write(list).catch(() => undefined);
      }
      return list;
    } catch (error) {
      if (generation === this.generation) {
        this.refreshError = {
          code: isRegistryError(error) ? error.code : 'UNKNOWN',
          message: error instanceof Error ? error.message : String(error),
          at: this.now(),
        };
      }
      throw error;
    }
  }
}
