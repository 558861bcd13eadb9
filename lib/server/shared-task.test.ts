import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Lru } from '@/lib/registry/lru';
import { abortListeners, collectListenerWarnings } from '@/lib/registry/testing/listener-warnings';
import { SharedTask, sharedMemo } from './shared-task';

/** A task whose work waits until released, recording whether its own signal was aborted. */
function work() {
  let finish!: (value: string) => void;
  const state = { aborted: false };
  const run = (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      finish = resolve;
      signal.addEventListener('abort', () => {
        state.aborted = true;
        reject(signal.reason);
      });
    });
  return { run, state, finish: (v: string) => finish(v) };
}

describe('SharedTask', () => {
  it('is aborted only when the last waiter has left', async () => {
    const w = work();
    const task = new SharedTask(w.run);
    const a = new AbortController();
    const b = new AbortController();
    const first = task.join(a.signal);
    const second = task.join(b.signal);
    a.abort(new Error('a left'));
    await expect(first).rejects.toThrow('a left');
    expect(w.state.aborted).toBe(false);
    b.abort(new Error('b left'));
    await expect(second).rejects.toThrow('b left');
    expect(w.state.aborted).toBe(true);
    expect(task.abandoned).toBe(true);
  });

  it('lets go of its signal and abandon callback once settled (a listing keeps one task per tag)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let signalRef: WeakRef<AbortSignal> | undefined;
    let callbackRef: WeakRef<() => void> | undefined;
    const make = () => {
      const onAbandoned = () => undefined;
      callbackRef = new WeakRef(onAbandoned);
      return new SharedTask((signal) => {
        signalRef = new WeakRef(signal);
        return Promise.resolve('done');
      }, onAbandoned);
    };
    const task = make();
    expect(await task.join(new AbortController().signal)).toBe('done');
    // WeakRefs hold their target until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(signalRef!.deref()).toBeUndefined();
    expect(callbackRef!.deref()).toBeUndefined();
    expect(task.abandoned).toBe(false);
    expect(await task.join()).toBe('done');
  });

  it('runs to its end for a waiter without a signal, and hands every waiter the result', async () => {
    const w = work();
    const task = new SharedTask(w.run);
    const a = new AbortController();
    const leaving = task.join(a.signal);
    const pinned = task.join();
    a.abort();
    await expect(leaving).rejects.toThrow();
    expect(w.state.aborted).toBe(false);
    w.finish('done');
    expect(await pinned).toBe('done');
    expect(await task.join(AbortSignal.abort())).toBe('done');
  });

  it('leaves the memo cache when abandoned, so the next request starts afresh', async () => {
    const cache = new Lru<string, SharedTask<string>>(10);
    const first = work();
    const a = new AbortController();
    const p = sharedMemo(cache, 'k', first.run, a.signal);
    a.abort();
    await expect(p).rejects.toThrow();
    expect(cache.has('k')).toBe(false);
    const second = work();
    const q = sharedMemo(cache, 'k', second.run, new AbortController().signal);
    second.finish('again');
    expect(await q).toBe('again');
  });

  it('lets one request join 200 tasks through one listener on its signal, removed as they settle', async () => {
    const warnings = collectListenerWarnings();
    try {
      const view = new AbortController();
      const works = Array.from({ length: 200 }, () => work());
      const tasks = works.map((w) => new SharedTask(w.run));
      const joined = tasks.map((task) => task.join(view.signal));
      expect(abortListeners(view.signal)).toBe(1);
      works.forEach((w, i) => w.finish(`t${i}`));
      expect(await Promise.all(joined)).toEqual(works.map((_, i) => `t${i}`));
      expect(abortListeners(view.signal)).toBe(0);
      expect(await warnings.messages()).toEqual([]);
    } finally {
      warnings.stop();
    }
  });

  it('abandons every task of a request that leaves, and only those', async () => {
    const view = new AbortController();
    const other = new AbortController();
    const works = Array.from({ length: 20 }, () => work());
    const tasks = works.map((w) => new SharedTask(w.run));
    const joined = tasks.map((task) => task.join(view.signal));
    const kept = tasks[0]!.join(other.signal);
    view.abort(new Error('view left'));
    for (const p of joined) await expect(p).rejects.toThrow('view left');
    expect(tasks.map((t) => t.abandoned)).toEqual(tasks.map((_, i) => i !== 0));
    works[0]!.finish('still wanted');
    expect(await kept).toBe('still wanted');
    expect(abortListeners(other.signal)).toBe(0);
  });
});
