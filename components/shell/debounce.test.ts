import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce';

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once with the latest arguments after a quiet period', () => {
    const fn = vi.fn();
    const d = debounce(fn, 250);
    d.call('1');
    vi.advanceTimersByTime(200);
    d.call('1.');
    vi.advanceTimersByTime(200);
    d.call('1.1');
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(250);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith('1.1');
  });

  it('drops a pending run when cancelled (the view unmounted)', () => {
    const fn = vi.fn();
    const d = debounce(fn, 250);
    d.call('x');
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});
