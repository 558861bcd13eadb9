import { describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { CatalogKeeper } from './catalog-keeper';
import { clock, handKeeper, keepFirst, memoryStore, settle } from './testing/catalog-keeper-doubles';

describe('CatalogKeeper', () => {
  it('reads once, then answers from the kept list without asking the registry', async () => {
    const { reads, time, keeper } = handKeeper(60_000);
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
    const { reads, time, keeper } = handKeeper(60_000);
    const { listedAt } = await keepFirst(keeper, reads, ['a']);
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
    const { reads, time, keeper } = handKeeper(1_000);
    await keepFirst(keeper, reads, ['a']);
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
    const { reads, time, keeper } = handKeeper(60_000);
    await keepFirst(keeper, reads, ['a']);
    time.advance(5_000);
    const forced = keeper.get({ fresh: true });
    await reads.answer(1, ['a', 'b']);
    expect(await forced).toMatchObject({ names: ['a', 'b'], listedAt: time.now() });

    const failed = keeper.get({ fresh: true });
    await reads.fail(2, new RegistryError('UNAVAILABLE', 'gone'));
    expect(await failed).toMatchObject({ names: ['a', 'b'], refreshError: { code: 'UNAVAILABLE' } });
  });

  it('after invalidate() the next read waits for the registry, and a refresh started before is not kept', async () => {
    const { reads, time, keeper } = handKeeper(1_000);
    await keepFirst(keeper, reads, ['a', 'deleted']);
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
      const { reads, keeper } = handKeeper(1_000, { time, shared: store });
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
      const { reads, keeper } = handKeeper(1_000, { time, shared: store });
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
      const { reads: readsA, keeper: a } = handKeeper(60_000, { time, shared: store });
      const { reads: readsB, keeper: b } = handKeeper(60_000, { time, shared: store });
      expect((await keepFirst(b, readsB, ['old'])).names).toEqual(['old']);
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
