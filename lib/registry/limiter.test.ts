import { describe, expect, it, vi } from 'vitest';
import { Limiter } from './limiter';
import { abortListeners, collectListenerWarnings } from './testing/listener-warnings';

describe('Limiter', () => {
  it('grants at most `limit` slots and hands freed slots to waiters in order', async () => {
    const limiter = new Limiter(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const order: string[] = [];
    const c = limiter.acquire().then((release) => (order.push('c'), release));
    const d = limiter.acquire().then((release) => (order.push('d'), release));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    expect(limiter.inFlight).toBe(2);
    a();
    a(); // releasing twice frees one slot only
    const releaseC = await c;
    expect(order).toEqual(['c']);
    expect(limiter.inFlight).toBe(2);
    b();
    (await d)();
    releaseC();
    expect(limiter.inFlight).toBe(0);
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new Limiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    held();
    expect(limiter.inFlight).toBe(0);
    await expect(limiter.acquire(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('run holds a slot until the task settles, fulfilled or rejected, and starts waiters in order', async () => {
    const limiter = new Limiter(1);
    const order: string[] = [];
    let finishA!: () => void;
    const a = limiter.run(() => new Promise<void>((resolve) => (finishA = () => (order.push('a'), resolve()))));
    const b = limiter.run(async () => {
      order.push('b');
      throw new Error('b failed');
    });
    const c = limiter.run(async () => (order.push('c'), 'c'));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    expect(limiter.inFlight).toBe(1);
    finishA();
    await a;
    await expect(b).rejects.toThrow('b failed');
    expect(await c).toBe('c');
    expect(order).toEqual(['a', 'b', 'c']);
    expect(limiter.inFlight).toBe(0);
  });

  it('run: a waiter whose signal aborts leaves the queue, never starts, and the slot goes to the next one', async () => {
    const limiter = new Limiter(1);
    let finish!: () => void;
    const holder = limiter.run(() => new Promise<void>((resolve) => (finish = resolve)));
    const controller = new AbortController();
    let abortedStarted = false;
    const aborted = limiter.run(async () => {
      abortedStarted = true;
    }, controller.signal);
    const next = limiter.run(async () => 'next');
    controller.abort(new Error('left'));
    await expect(aborted).rejects.toThrow('left');
    finish();
    await holder;
    expect(await next).toBe('next');
    expect(abortedStarted).toBe(false);
    expect(limiter.inFlight).toBe(0);
    // Already aborted: rejects at once, without taking a slot.
    await expect(limiter.run(async () => 'never', AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
    expect(limiter.inFlight).toBe(0);
  });

  it('resize: raising the limit grants waiters at once; lowering it takes no slot back but grants none until below', async () => {
    const limiter = new Limiter(1);
    const a = await limiter.acquire();
    let granted = 0;
    const waiters = [limiter.acquire(), limiter.acquire(), limiter.acquire()].map((p) => p.then((release) => (granted++, release)));
    await Promise.resolve();
    expect(granted).toBe(0);
    limiter.resize(3);
    await new Promise((r) => setTimeout(r, 0));
    expect(granted).toBe(2);
    expect(limiter.inFlight).toBe(3);
    expect(limiter.queued).toBe(1);
    limiter.resize(1);
    a();
    const [b, c] = await Promise.all([waiters[0]!, waiters[1]!]);
    b();
    await new Promise((r) => setTimeout(r, 0));
    expect(granted).toBe(2); // one still held: at the limit
    c();
    (await waiters[2]!)();
    expect(limiter.inFlight).toBe(0);
  });

  it('holdFor grants nothing for a while, keeps the queue in order, then grants again', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new Limiter(4);
      limiter.holdFor(60);
      expect(limiter.held).toBe(true);
      const order: number[] = [];
      const waiters = [1, 2].map((n) => limiter.acquire().then((release) => (order.push(n), release)));
      await vi.advanceTimersByTimeAsync(30);
      expect(order).toEqual([]);
      expect(limiter.inFlight).toBe(0);
      limiter.holdFor(10); // a shorter hold does not shorten the one set
      await vi.advanceTimersByTimeAsync(20);
      expect(order).toEqual([]);
      await vi.advanceTimersByTimeAsync(10);
      expect(order).toEqual([1, 2]);
      expect(limiter.held).toBe(false);
      for (const release of await Promise.all(waiters)) release();
    } finally {
      vi.useRealTimers();
    }
  });

  it('queues 200 waiters on one signal through one listener, removed once all were granted', async () => {
    const warnings = collectListenerWarnings();
    try {
      const limiter = new Limiter(1);
      const controller = new AbortController();
      const held = await limiter.acquire();
      const waiting = Array.from({ length: 200 }, () => limiter.run(() => Promise.resolve(1), controller.signal));
      expect(limiter.queued).toBe(200);
      expect(abortListeners(controller.signal)).toBe(1);
      held();
      expect(await Promise.all(waiting)).toHaveLength(200);
      expect(abortListeners(controller.signal)).toBe(0);
      expect(await warnings.messages()).toEqual([]);
    } finally {
      warnings.stop();
    }
  });

  it('lets every waiter on one signal leave the queue when it aborts', async () => {
    const limiter = new Limiter(1);
    const controller = new AbortController();
    const held = await limiter.acquire();
    const waiting = Array.from({ length: 50 }, () => limiter.acquire(controller.signal));
    controller.abort(new Error('gone'));
    for (const wait of waiting) await expect(wait).rejects.toThrow('gone');
    expect(limiter.queued).toBe(0);
    held();
    expect(limiter.inFlight).toBe(0);
  });
});
