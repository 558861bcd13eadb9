/**
 * Test doubles for the kept catalog (`catalog-keeper.ts`): registry reads answered by hand, a clock moved by hand,
 * a shared store kept in memory, and a keeper wired to them. Each test then says only what it checks.
 */
import { CatalogKeeper, type KeptList, type SharedCatalogStore } from '../catalog-keeper';

/** Lets pending promise callbacks and timers of zero delay run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A registry read the test answers by hand, counting calls. */
export function controlledReads() {
  const pending: { resolve: (names: string[]) => void; reject: (error: unknown) => void }[] = [];
  const asked = async (index: number) => {
    for (let tick = 0; !pending[index]; tick++) {
      if (tick > 100) throw new Error(`read ${index} was never asked for`);
      await settle();
    }
    return pending[index]!;
  };
  return {
    calls: () => pending.length,
    read: () => new Promise<string[]>((resolve, reject) => pending.push({ resolve, reject })),
    /** Answers read number `index` once it has been asked for (reads start after a few awaits). */
    answer: async (index: number, names: string[]) => (await asked(index)).resolve(names),
    fail: async (index: number, error: unknown) => (await asked(index)).reject(error),
  };
}

export type ControlledReads = ReturnType<typeof controlledReads>;

/** A clock that moves only when told. */
export function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

export type Clock = ReturnType<typeof clock>;

/** A shared store (what Redis is between replicas) in memory; `hold` plays another replica holding the refresh lock. */
export function memoryStore(initial?: KeptList, now: () => number = Date.now) {
  let stored = initial;
  let locked = false;
  let invalidated: number | undefined;
  const store: SharedCatalogStore & { stored: () => KeptList | undefined; hold: (value: boolean) => void } = {
    read: async () => stored,
    write: async (list) => void (stored = list),
    forget: async () => void ((stored = undefined), (invalidated = now())),
    invalidatedAt: async () => invalidated,
    lock: async () => (locked ? undefined : ((locked = true), async () => void (locked = false))),
    stored: () => stored,
    hold: (value) => (locked = value),
  };
  return store;
}

/** A keeper whose registry reads are answered by hand and whose clock moves by hand. */
export function handKeeper(maxAgeMs: number, options: { time?: Clock; shared?: SharedCatalogStore } = {}) {
  const reads = controlledReads();
  const time = options.time ?? clock();
  const keeper = new CatalogKeeper({ maxAgeMs, read: reads.read, now: time.now, ...(options.shared ? { shared: options.shared } : {}) });
  return { reads, time, keeper };
}

/** Lets `keeper` read the registry for the first time and keep `names`. */
export async function keepFirst(keeper: CatalogKeeper, reads: ControlledReads, names: string[]) {
  const first = keeper.get();
  await reads.answer(0, names);
  return first;
}
