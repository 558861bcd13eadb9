import { describe, expect, it } from 'vitest';
import { abortable, onAbort } from './abort-fanout';
import { abortListeners } from './testing/listener-warnings';

describe('onAbort', () => {
  it('puts one listener on a signal however many callbacks wait, and calls them in order on abort', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    for (let i = 0; i < 50; i++) onAbort(controller.signal, () => calls.push(i));
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort();
    expect(calls).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('removes the listener when the last callback unsubscribes, and subscribes afresh afterwards', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const a = onAbort(controller.signal, () => calls.push('a'));
    const b = onAbort(controller.signal, () => calls.push('b'));
    a();
    a(); // twice is harmless
    expect(abortListeners(controller.signal)).toBe(1);
    b();
    expect(abortListeners(controller.signal)).toBe(0);
    onAbort(controller.signal, () => calls.push('c'));
    expect(abortListeners(controller.signal)).toBe(1);
    controller.abort();
    expect(calls).toEqual(['c']);
  });

  it('calls the same function once per subscription, and never for a signal already aborted', () => {
    const controller = new AbortController();
    let count = 0;
    const callback = () => count++;
    onAbort(controller.signal, callback);
    onAbort(controller.signal, callback);
    controller.abort();
    expect(count).toBe(2);
    onAbort(controller.signal, callback)();
    expect(count).toBe(2);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('runs the other callbacks when one throws, and reports the error', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const reported = new Promise<unknown>((resolve) => {
      const original = queueMicrotask;
      globalThis.queueMicrotask = (task) => {
        globalThis.queueMicrotask = original;
        try {
          task();
        } catch (error) {
          resolve(error);
        }
      };
    });
    onAbort(controller.signal, () => {
      throw new Error('boom');
    });
    onAbort(controller.signal, () => calls.push('after'));
    controller.abort();
    expect(calls).toEqual(['after']);
    expect(await reported).toMatchObject({ message: 'boom' });
  });
});

describe('abortable', () => {
  it('settles with the promise and leaves no listener behind', async () => {
    const controller = new AbortController();
    const waits = Array.from({ length: 30 }, (_, i) => abortable(Promise.resolve(i), controller.signal));
    expect(await Promise.all(waits)).toHaveLength(30);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it("rejects with the signal's reason as soon as it aborts", async () => {
    const controller = new AbortController();
    const wait = abortable(new Promise(() => undefined), controller.signal);
    controller.abort(new Error('left'));
    await expect(wait).rejects.toThrow('left');
  });
});
