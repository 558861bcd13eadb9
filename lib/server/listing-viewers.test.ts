import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortWhenUnwatched, holdListing } from './listing-viewers';

afterEach(() => {
  vi.useRealTimers();
});

describe('the warm-up signal of a listing', () => {
  it('aborts after the grace time when no stream runs', () => {
    vi.useFakeTimers();
    const signal = abortWhenUnwatched({}, 1000);
    vi.advanceTimersByTime(999);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signal.aborted).toBe(true);
  });

  it('waits past the grace time for the last stream to end', () => {
    vi.useFakeTimers();
    const listing = {};
    const signal = abortWhenUnwatched(listing, 1000);
    const first = holdListing(listing);
    const second = holdListing(listing);
    vi.advanceTimersByTime(5000);
    expect(signal.aborted).toBe(false);
    first();
    first(); // releasing twice counts once
    expect(signal.aborted).toBe(false);
    second();
    expect(signal.aborted).toBe(true);
  });

  it('is not aborted by a stream that ends within the grace time; the grace time still counts', () => {
    vi.useFakeTimers();
    const listing = {};
    const signal = abortWhenUnwatched(listing, 1000);
    holdListing(listing)();
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(signal.aborted).toBe(true);
  });

  it('counts streams per listing', () => {
    vi.useFakeTimers();
    const watched = {};
    const other = {};
    const signal = abortWhenUnwatched(watched, 10);
    holdListing(watched);
    holdListing(other)();
    vi.advanceTimersByTime(100);
    expect(signal.aborted).toBe(false);
  });
});
