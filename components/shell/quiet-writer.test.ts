import { afterEach, describe, expect, it, vi } from 'vitest';
import { QuietWriter } from './quiet-writer';

afterEach(() => {
  vi.useRealTimers();
});

describe('QuietWriter', () => {
  it('writes only the latest value, once values stop coming for the quiet time', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const writer = new QuietWriter<string>((v) => written.push(v), 300);
    writer.schedule('1');
    vi.advanceTimersByTime(100);
    writer.schedule('1.');
    vi.advanceTimersByTime(299);
    writer.schedule('1.1');
    vi.advanceTimersByTime(299);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(written).toEqual(['1.1']);
    vi.advanceTimersByTime(1000);
    expect(written).toEqual(['1.1']);
  });

  it('flush writes the pending value at once (and only once); cancel drops it', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const writer = new QuietWriter<string>((v) => written.push(v), 300);
    writer.schedule('a');
    writer.flush();
    writer.flush();
    vi.advanceTimersByTime(1000);
    expect(written).toEqual(['a']);
    writer.schedule('b');
    writer.cancel();
    vi.advanceTimersByTime(1000);
    expect(written).toEqual(['a']);
  });
});
