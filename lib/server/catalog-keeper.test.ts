import { describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { CatalogKeeper, type KeptList, type SharedCatalogStore } from './catalog-keeper';

/** A registry read the test answers by hand, counting calls. */
function controlledReads() {
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

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('CatalogKeeper', () => {
  it('reads once, then answers from the kept list without asking the registry', async () => {
    const reads = controlledReads();
    const time = clock();
    const keeper = new CatalogKeeper({ maxAgeMs: 60_000, read: reads.read, now: time.now });
    const first = keeper.get();
    const second = keeper.get();
    await reads.answer(0, ['a', 'b']);
    expect(await first).toMatchObject({ names: ['a', 'b'], listedAt: time.now(), refreshing: false });
    expect(await second).toMatchObject({ names: ['a', 'b'] });
    time.advance(59_000);
    expect(await keeper.get()).toMatchObject({ names: ['a', 'b'], refreshing: false });
    expect(reads.calls()).toBe(1);
  });

  it('serves a stale list at once and refreshes it in the background, one refresh at a time', async () => {
    const reads = controlledReads();
    const time = clock();
    const keeper = new CatalogKeeper({ maxAgeMs: 60_000, read: reads.read, now: time.now });
    const first = keeper.get();
    await reads.answer(0, ['a']);
    const listedAt = (await first).listedAt;
    time.advance(61_000);

    const stale = await keeper.get();
    expect(stale).toMatchObject({ names: ['a'], listedAt, refreshing: true });
    expect(await keeper.get()).toMatchObject({ names: ['a'], refreshing: true });
    expect(reads.calls()).toBe(2);

    await reads.answer(1, ['a', 'new']);
    await settle();
    expect(await keeper.get()).toMatchObject({ names: ['a', 'new'], listedAt: time.now(), refreshing: false });
    expect(reads.calls()).toBe(2);
  });

  it('keeps the old list when a refresh fails, reports the failure, and clears it after a good refresh', async () => {
    const reads = controlledReads();
    const time = clock();
    const keeper = new CatalogKeeper({ maxAgeMs: 1_000, read: reads.read, now: time.now });
    const first = keeper.get();
    await reads.answer(0, ['a']);
    await first;
    time.advance(2_000);
    await keeper.get();
    await reads.fail(1, new RegistryError('UNAVAILABLE', 'registry down'));
    await settle();

    const after = await keeper.get();
    expect(after.names).toEqual(['a']);
    expect(after.refreshError).toEqual({ code: 'UNAVAILABLE', message: 'registry down', at: time.now() });
    expect(after.refreshing).toBe(true); // still stale: the read above started the next refresh
    await reads.answer(2, ['a', 'b']);
    await settle();
    const good = await keeper.get();
    expect(good.names).toEqual(['a', 'b']);
    expect(good.refreshError).toBeUndefined();
  });

  it('throws the error of the first read (nothing kept to show)', async () => {
    const keeper = new CatalogKeeper({ maxAgeMs: 60_000, read: () => Promise.reject(new RegistryError('UNSUPPORTED', 'no catalog')) });
    await expect(keeper.get()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('fresh waits for a registry read; a failed forced read answers the kept list with the error', async () => {
    const reads = controlledReads();
    const time = clock();
    const keeper = new CatalogKeeper({ maxAgeMs: 60_000, read: reads.read, now: time.now });
    const first = keeper.get();
    await reads.answer(0, ['a']);
    await first;
    time.advance(5_000);
    const forced = keeper.get({ fresh: true });
    await reads.answer(1, ['a', 'b']);
    expect(await forced).toMatchObject({ names: ['a', 'b'], listedAt: time.now() });

    const failed = keeper.get({ fresh: true });
    await reads.fail(2, new RegistryError('UNAVAILABLE', 'gone'));
    expect(await failed).toMatchObject({ names: ['a', 'b'], refreshError: { code: 'UNAVAILABLE' } });
  });

  it('after invalidate() the next read waits for the registry, and a refresh started before is not kept', async () => {
    const reads = controlledReads();
    const time = clock();
    const keeper = new CatalogKeeper({ maxAgeMs: 1_000, read: reads.read, now: time.now });
    const first = keeper.get();
    await reads.answer(0, ['a', 'deleted']);
    await first;
    time.advance(2_000);
    await keeper.get(); // starts a background refresh (read 1)
    await settle(); // read 1 is on its way
    await keeper.invalidate();
    const next = keeper.get();
    await settle();
    expect(reads.calls()).toBe(3);
    await reads.answer(1, ['a', 'deleted']); // answered after the delete, but read before it
    await reads.answer(2, ['a']);
    expect((await next).names).toEqual(['a']);
    expect((await keeper.get()).names).toEqual(['a']);
  });

  it('with a cache time of 0 every read asks the registry', async () => {
    let count = 0;
    const keeper = new CatalogKeeper({ maxAgeMs: 0, read: async () => [`r${++count}`] });
    expect((await keeper.get()).names).toEqual(['r1']);
    expect((await keeper.get()).names).toEqual(['r2']);
  });

  describe('with a shared store', () => {
    function memoryStore(initial?: KeptList, now: () => number = Date.now) {
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

    it('takes the list another replica shared instead of reading the registry, and shares its own', async () => {
      const time = clock();
      const store = memoryStore({ names: ['x'], listedAt: time.now() - 10_000 });
      let reads = 0;
      const keeper = new CatalogKeeper({ maxAgeMs: 60_000, read: async () => (reads++, ['y']), shared: store, now: time.now });
      expect(await keeper.get()).toMatchObject({ names: ['x'], listedAt: time.now() - 10_000 });
      expect(reads).toBe(0);
      await keeper.get({ fresh: true });
      await settle();
      expect(store.stored()).toEqual({ names: ['y'], listedAt: time.now() });
    });

    it('does not refresh while another replica holds the refresh lock; takes its newer list later', async () => {
      const time = clock();
      const store = memoryStore({ names: ['x'], listedAt: time.now() });
      let reads = 0;
      const keeper = new CatalogKeeper({ maxAgeMs: 1_000, read: async () => (reads++, ['y']), shared: store, now: time.now });
      await keeper.get();
      time.advance(2_000);
      store.hold(true);
      expect((await keeper.get()).names).toEqual(['x']);
      await settle();
      expect(reads).toBe(0);
      await store.write({ names: ['x', 'z'], listedAt: time.now() });
      await keeper.get();
      await settle();
      expect((await keeper.get()).names).toEqual(['x', 'z']);
      expect(reads).toBe(0);
    });

    it("fresh reads the registry even while a background refresh waits behind another replica's lock", async () => {
      const time = clock();
      const store = memoryStore({ names: ['x'], listedAt: time.now() }, time.now);
      const reads = controlledReads();
      const keeper = new CatalogKeeper({ maxAgeMs: 1_000, read: reads.read, shared: store, now: time.now });
      await keeper.get();
      time.advance(2_000);
      store.hold(true);
      await keeper.get(); // stale: a background refresh that finds the lock held and reads nothing
      const forced = keeper.get({ fresh: true });
      await reads.answer(0, ['x', 'y']);
      expect(await forced).toMatchObject({ names: ['x', 'y'], listedAt: time.now() });
    });

    it('an invalidation while a background refresh runs answers the next reader with a registry read, not an error', async () => {
      const time = clock();
      const store = memoryStore({ names: ['x'], listedAt: time.now() }, time.now);
      const reads = controlledReads();
      const keeper = new CatalogKeeper({ maxAgeMs: 1_000, read: reads.read, shared: store, now: time.now });
      await keeper.get();
      time.advance(2_000);
      store.hold(true);
      await keeper.get();
      const next = keeper.get({ fresh: true });
      await keeper.invalidate();
      await reads.answer(0, ['after']);
      expect(await next).toMatchObject({ names: ['after'] });
      const again = keeper.get();
      await reads.answer(1, ['after']);
      expect(await again).toMatchObject({ names: ['after'], refreshing: false });
    });

    it("an invalidation on one replica reaches the others: their kept list and lists started before it are dropped", async () => {
      const time = clock();
      const store = memoryStore(undefined, time.now);
      const readsA = controlledReads();
      const readsB = controlledReads();
      const a = new CatalogKeeper({ maxAgeMs: 60_000, read: readsA.read, shared: store, now: time.now });
      const b = new CatalogKeeper({ maxAgeMs: 60_000, read: readsB.read, shared: store, now: time.now });
      const first = b.get();
      await readsB.answer(0, ['old']);
      expect((await first).names).toEqual(['old']);
      expect((await a.get()).names).toEqual(['old']); // A takes B's shared list

      // B starts a forced read, A invalidates (a delete through A) while it runs, then B's read ends.
      time.advance(1_000);
      const slow = b.get({ fresh: true });
      time.advance(1_000);
      await a.invalidate();
      await readsB.answer(1, ['old']);
      await slow;
      await settle();
      // B's list was started before the invalidation: neither B nor A may serve it as the registry after it.
      time.advance(1_000);
      const fromA = a.get();
      await readsA.answer(0, ['new']);
      expect((await fromA).names).toEqual(['new']);
      // B drops its own list (started before the invalidation) and takes A's newer one.
      expect((await b.get()).names).toEqual(['new']);
      expect(readsB.calls()).toBe(2);
    });

    it('invalidate() forgets the shared list too', async () => {
      const store = memoryStore({ names: ['x'], listedAt: Date.now() });
      const keeper = new CatalogKeeper({ maxAgeMs: 60_000, read: async () => ['fresh'], shared: store });
      await keeper.get();
      await keeper.invalidate();
      expect(store.stored()).toBeUndefined();
      expect((await keeper.get()).names).toEqual(['fresh']);
    });
  });
});
