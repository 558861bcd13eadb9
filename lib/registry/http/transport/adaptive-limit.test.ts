import { afterEach, describe, expect, it } from 'vitest';
import { AdaptiveLimit, closeAdaptiveLimit, openAdaptiveLimit, registryLimits, type RegistryLimitView } from './adaptive-limit';

const ORIGIN = 'http://adaptive-limit.test:5000';
const url = (path: string, origin = ORIGIN) => new URL(path, origin);

afterEach(() => {
  registryLimits().delete(ORIGIN);
});

/** A slot as the transport holds it. */
type Slot = Awaited<ReturnType<AdaptiveLimit['take']>>;

describe('AdaptiveLimit', () => {
  it('publishes one live limit per registry origin on globalThis, shared by every registry on it, until the last closes', async () => {
    const a = openAdaptiveLimit(ORIGIN, 64);
    const b = openAdaptiveLimit(ORIGIN, 32);
    expect(b).toBe(a);
    // The metrics contract: Map<origin, { limit, inFlight }> under Symbol.for('porthole.registryLimits').
    const published = (globalThis as Record<symbol, unknown>)[Symbol.for('porthole.registryLimits')] as Map<string, RegistryLimitView>;
    const view = published.get(ORIGIN)!;
    expect(view).toMatchObject({ limit: 8, inFlight: 0 });
    const slot = await a.take();
    expect(view.inFlight).toBe(1);
    slot.release();
    expect(view.inFlight).toBe(0);
    expect(a.law.settings.max).toBe(32); // the lower maxConcurrency of the two wins
    closeAdaptiveLimit(a);
    expect(published.has(ORIGIN)).toBe(true);
    closeAdaptiveLimit(b);
    expect(published.has(ORIGIN)).toBe(false);
  });

  it('grows the limiter while answers stay near the floor and the limit binds; waiting requests get the new slots', async () => {
    let now = 0;
    const limit = new AdaptiveLimit(ORIGIN, {}, () => now);
    const held = await Promise.all(Array.from({ length: 8 }, () => limit.take()));
    const waiting = limit.take();
    let granted = false;
    void waiting.then(() => (granted = true));
    now = 20;
    for (const slot of held) slot.report({ url: url('/v2/r/manifests/a'), method: 'GET', status: 200 });
    expect(limit.limit).toBe(10);
    await new Promise((r) => setTimeout(r, 0));
    expect(granted).toBe(true);
    expect(limit.inFlight).toBe(9);
    for (const slot of held) slot.release();
    (await waiting).release();
  });

  it('learns only from its own origin and only round trips of GET and HEAD', async () => {
    let now = 0;
    const limit = new AdaptiveLimit(ORIGIN, {}, () => now);
    const slots = await Promise.all(Array.from({ length: 8 }, () => limit.take()));
    now = 20;
    for (const slot of slots) slot.report({ url: url('/bucket/blob', 'https://storage.example'), method: 'GET', status: 429, retryAfter: '5' });
    for (const slot of slots) slot.report({ url: url('/v2/r/manifests/a'), method: 'GET', status: 200 }); // already reported: ignored
    expect(limit.limit).toBe(8);
    expect(limit.law.pausedUntil).toBe(0);
    for (const slot of slots) slot.release();
    const uploads = await Promise.all(Array.from({ length: 8 }, () => limit.take()));
    for (const slot of uploads) slot.report({ url: url('/v2/r/blobs/uploads/x'), method: 'PUT', status: 201 });
    expect(limit.law.floorMs).toBeUndefined();
    for (const slot of uploads) slot.release();
  });

  it('on a 429 holds every new request back until its Retry-After, then resumes at what the registry took', async () => {
    const limit = new AdaptiveLimit(ORIGIN);
    const held = await Promise.all(Array.from({ length: 6 }, () => limit.take()));
    const slot = await limit.take();
    slot.report({ url: url('/v2/r/manifests/a'), method: 'GET', status: 429, retryAfter: '1' });
    slot.release();
    for (const other of held) other.release();
    // Refused as the 7th in flight: the registry took 6.
    expect(limit.limit).toBe(6);
    const started = performance.now();
    const next = await limit.take();
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    next.release();
  });

  it('judges a 429 by the requests in flight when it was sent, less the answers that had already arrived (read later in the same turn)', async () => {
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    /** Seven requests in flight, then an eighth refused with a Retry-After; `between` runs after it was sent. */
    const refusedEighth = async (between: (held: Slot[], limit: AdaptiveLimit) => Promise<void> | void) => {
      const limit = new AdaptiveLimit(ORIGIN, { initial: 16 });
      const held = await Promise.all(Array.from({ length: 7 }, () => limit.take()));
      await turn();
      const eighth = await limit.take();
      await between(held, limit);
      eighth.report({ url: url('/v2/r/manifests/a'), method: 'GET', status: 429, retryAfter: '1' });
      eighth.release();
      for (const slot of held) slot.release();
      return limit.law.ceiling;
    };
    const ok = { url: url('/v2/r/manifests/b'), method: 'GET', status: 200 } as const;
    const answer = (slot: Slot) => (slot.report(ok), slot.release());
    // Two answers read in the turn the eighth was sent in had reached Porthole first: the registry held 5 others.
    expect(await refusedEighth((slots) => (answer(slots[0]!), answer(slots[1]!)))).toBe(5);
    // Given up (aborted or timed out) in that turn: no answer came, they may still be at the registry.
    expect(await refusedEighth((slots) => (slots[0]!.release(), slots[1]!.release()))).toBe(7);
    // Sent after the eighth (in the same turn) and answered: it was never in the eighth's count.
    expect(await refusedEighth(async (_, limit) => answer(await limit.take()))).toBe(7);
    // Read in a later turn: they may have still been at the registry, so all 7 count.
    expect(
      await refusedEighth(async (held) => {
        await turn();
        answer(held[0]!);
        answer(held[1]!);
      }),
    ).toBe(7);
  });

  it.each([
    ['in the order they were sent', false],
    ['when the later one is answered first', true],
  ])('does not count a refused request in the requests in flight a later refusal of the burst is judged by (%s)', async (_, reversed) => {
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    let now = 0;
    const limit = new AdaptiveLimit(ORIGIN, {}, () => now);
    const held = await Promise.all(Array.from({ length: 6 }, () => limit.take()));
    await turn();
    now = 1;
    const first = await limit.take(); // 7 in flight
    await turn();
    now = 2;
    held[0]!.release(); // answered in a later turn: it may have been at the registry when the first was sent
    const second = await limit.take(); // 7 in flight, the first among them
    await turn();
    now = 30;
    const refused = { url: url('/v2/r/manifests/a'), method: 'GET' as const, status: 429, retryAfter: '1' };
    const [early, late] = reversed ? [second, first] : [first, second];
    early.report(refused);
    expect(limit.law.ceiling).toBe(6);
    now = 31;
    // The registry had refused the first, so it held 5 others when it refused the second.
    late.report(refused);
    expect(limit.law.ceiling).toBe(5);
    for (const slot of [...held, first, second]) slot.release();
  });

  it('shrinks on a timeout and on 503', async () => {
    const limit = new AdaptiveLimit(ORIGIN);
    const first = await limit.take();
    first.report({ url: url('/v2/r/manifests/a'), method: 'GET', timedOut: true });
    first.release();
    expect(limit.limit).toBe(4);
    const second = await limit.take();
    second.report({ url: url('/v2/r/manifests/a'), method: 'HEAD', status: 503 });
    second.release();
    expect(limit.limit).toBe(2);
  });
});
