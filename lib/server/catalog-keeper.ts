/**
 * One source's catalog, kept: the whole repository list is read once and then served at once
 * (stale-while-revalidate). A list older than the cache time is still answered immediately, and starts one
 * refresh in the background; its answer replaces the list when it arrives. A refresh that fails keeps the old
 * list and is reported with it (`refreshError`), so the reader sees both the list and how old it is.
 *
 * One refresh at a time: every reader that needs a registry read while one runs joins it. A shared store (Redis,
 * lib/server/redis/shared-catalog.ts) lets replicas take each other's lists and keeps two replicas from
 * refreshing the same catalog at once. `invalidate()` (after a delete, push or copy through Porthole) drops
 * the list: the next reader waits for a fresh one, and a refresh started before the invalidation is not kept.
 * With a shared store the invalidation reaches every replica: it leaves a time stamp there, and each read
 * drops a list (its own or a shared one) that was started before it.
 *
 * A list's `listedAt` is when its registry read *started*: a repository deleted while a long read ran may still
 * be in that list, so only a list started after an invalidation may stand for the registry after it.
 *
 * A cache time of 0 keeps nothing: every read asks the registry (joining a read already running).
 */
import 'server-only';
import { isRegistryError } from '@/lib/oci/errors';
import { errorBody, logError, toRegistryError } from './respond';

/** A list of repositories and when it was read from the registry (epoch ms). */
export interface KeptList {
  names: string[];
  listedAt: number;
}

/** Where replicas share their lists; every method is best effort (a miss or a no-op when unavailable). */
export interface SharedCatalogStore {
  read(): Promise<KeptList | undefined>;
  write(list: KeptList): Promise<void>;
  /** Forgets the list, and leaves the time of this invalidation for the other replicas. */
  forget(): Promise<void>;
  /** When a replica last invalidated this catalog (epoch ms), or undefined. */
  invalidatedAt(): Promise<number | undefined>;
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
  /** The registry read running now (every reader that needs one joins it). */
  private reading?: Promise<KeptList>;
  /** A background refresh running now (it may end without a registry read: a shared list, another replica's lock). */
  private background?: Promise<void>;
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
    const invalidatedAt = await this.sharedInvalidation();
    if (this.options.maxAgeMs <= 0) return this.state(await this.refresh());
    if (fresh) {
      try {
        return this.state(await this.refresh());
      } catch (error) {
        if (!this.kept) throw error;
        return this.state(this.kept);
      }
    }
    if (!this.kept) await this.adoptShared(invalidatedAt);
    if (!this.kept) return this.state(await this.refresh());
    if (this.isStale(this.kept)) this.refreshInBackground();
    return this.state(this.kept);
  }

  /** Forgets the list here and in the shared store: the next read, on any replica, asks the registry. */
  async invalidate(): Promise<void> {
    this.forgetLocal();
    await this.options.shared?.forget();
  }

  private forgetLocal(): void {
    this.generation += 1;
    this.kept = undefined;
    this.reading = undefined;
    this.refreshError = undefined;
  }

  /** Another replica's invalidation: drops the local list when it was started before it. */
  private async sharedInvalidation(): Promise<number | undefined> {
    const at = await this.options.shared?.invalidatedAt();
    if (at !== undefined && this.kept && this.kept.listedAt <= at) this.forgetLocal();
    return at;
  }

  private isStale(list: KeptList): boolean {
    return this.now() - list.listedAt >= this.options.maxAgeMs;
  }

  private state(list: KeptList): CatalogState {
    const refreshing = this.reading !== undefined || this.background !== undefined;
    return { ...list, refreshing, ...(this.refreshError ? { refreshError: this.refreshError } : {}) };
  }

  /** Takes a newer list another replica shared (never one started before the last invalidation). */
  private async adoptShared(invalidatedAt?: number): Promise<boolean> {
    const generation = this.generation;
    const shared = await this.options.shared?.read();
    if (!shared || generation !== this.generation) return false;
    if (invalidatedAt !== undefined && shared.listedAt <= invalidatedAt) return false;
    if (this.kept && this.kept.listedAt >= shared.listedAt) return false;
    this.kept = shared;
    return true;
  }

  /** Starts a refresh unless one runs; a newer list another replica shared counts as one. */
  private refreshInBackground(): void {
    if (this.background || this.reading) return;
    const work = (async () => {
      const invalidatedAt = await this.options.shared?.invalidatedAt();
      if ((await this.adoptShared(invalidatedAt)) && this.kept && !this.isStale(this.kept)) return;
      const release = this.options.shared ? await this.options.shared.lock() : async () => undefined;
      // Another replica is refreshing: its list arrives through the shared store on a later read.
      if (!release) return;
      try {
        await this.refresh();
      } finally {
        await release();
      }
    })();
    const background = work
      .catch(() => {
        // Reported through refreshError; the kept list stays.
      })
      .finally(() => {
        if (this.background === background) this.background = undefined;
      });
    this.background = background;
  }

  /** A registry read, joining the one running. */
  private refresh(): Promise<KeptList> {
    if (this.reading) return this.reading;
    const reading = this.readRegistry().finally(() => {
      if (this.reading === reading) this.reading = undefined;
    });
    this.reading = reading;
    return reading;
  }

  private async readRegistry(): Promise<KeptList> {
    const generation = this.generation;
    const startedAt = this.now();
    try {
      const list = { names: await this.options.read(), listedAt: startedAt };
      if (generation === this.generation) {
        this.kept = list;
        this.refreshError = undefined;
        void this.options.shared?.write(list).catch(() => undefined);
      }
      return list;
    } catch (error) {
      if (generation === this.generation) {
        // What the client sees is the wire error (mapped and redacted); what was not ours to expect is logged.
        if (!isRegistryError(error)) logError('catalog refresh', error);
        const [wire] = errorBody(toRegistryError(error)).body.errors;
        this.refreshError = { code: wire!.code, message: wire!.message, at: this.now() };
      }
      throw error;
    }
  }
}
