/**
 * An in-process async mutex per key, for read-modify-write cycles: the layout backend serialises every update
 * of a repository's `index.json` through it, the HTTP backend every change of a repository's tags (tag deletes,
 * digest deletes, referrers fallback-index updates; see http/repository-lock.ts). Processes sharing a registry
 * can still race: per-process locks do not span replicas (docs/registries.md, "Concurrency").
 */
import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();
  /** Keys held by the current async call chain, so that a task may re-enter its own key without deadlock. */
  private readonly held = new AsyncLocalStorage<ReadonlySet<string>>();

  /**
   * Runs `task` once every earlier task for `key` has settled; tasks for other keys run concurrently.
   * Re-entrant: a task already holding `key` (anywhere up its async call chain) runs at once, e.g. a manifest
   * delete that removes a fallback tag with the tag delete, both needing the repository's lock. Work the task
   * starts but does not await is not covered once the task has settled.
   */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const holding = this.held.getStore();
    if (holding?.has(key)) return task();
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await this.held.run(new Set([...(holding ?? []), key]), task);
    } finally {
      release();
      // Drop the entry when nobody queued behind us, so the map does not grow with every repository ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * A KeyedMutex shared by the whole server process under `name`. Next.js bundles server code into several
 * chunks, so a module-level instance would exist once per chunk; this one lives on `globalThis`.
 */
export function processMutex(name: string): KeyedMutex {
  const key = Symbol.for(`porthole.mutex.${name}`);
  const store = globalThis as Record<symbol, unknown>;
  // No `instanceof`: each chunk has its own copy of the class.
  const existing = store[key] as KeyedMutex | undefined;
  if (existing) return existing;
  const created = new KeyedMutex();
  store[key] = created;
  return created;
}
