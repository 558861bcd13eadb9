import { describe, expect, it } from 'vitest';
import { ConcurrencyLaw, type LawSettings } from './concurrency-law';

/** Feeds one full window of successful answers, all with `latencyMs`, sent at `at` and answered at `at`. */
function window(law: ConcurrencyLaw, latencyMs: number, at: number, limited = true): void {
  const size = Math.max(law.limit, law.settings.minWindow);
  for (let i = 0; i < size; i++) {
    if (limited) law.limited();
    law.observe({ kind: 'ok', sentAt: at, latencyMs }, at);
  }
}

/** Feeds one window (all answers taking `latencyMs`) at each time in `times`; the limit after each. */
function limitsAfterWindows(law: ConcurrencyLaw, times: number[], latencyMs = 20): number[] {
  return times.map((at) => {
    window(law, latencyMs, at);
    return law.limit;
  });
}

function law(settings: Partial<LawSettings> = {}): ConcurrencyLaw {
  return new ConcurrencyLaw(settings);
}

describe('ConcurrencyLaw', () => {
  it('starts at 8 and grows by a quarter (at least one) per window near the floor while the limit binds', () => {
    const l = law();
    expect(l.limit).toBe(8);
    expect(limitsAfterWindows(l, [0, 1, 2, 3, 4, 5])).toEqual([10, 12, 15, 18, 22, 27]);
    expect(l.floorMs).toBe(20);
  });

  it('does not grow when the limit did not bind: idle slots say nothing about the registry', () => {
    const l = law();
    window(l, 20, 0, false);
    window(l, 20, 1, false);
    expect(l.limit).toBe(8);
  });

  it('holds (neither grows nor shrinks) between "near the floor" and "latency grew"', () => {
    const l = law();
    window(l, 20, 0); // floor 20, limit 10
    window(l, 38, 1); // 38 > 20 × 1.5 + 5 = 35 and ≤ 20 × 2 + 5 = 45
    expect(l.limit).toBe(10);
  });

  it('shrinks multiplicatively (× 0.8) when the median latency stays beyond twice the floor for two windows, but not below the start (8)', () => {
    const l = law();
    expect(limitsAfterWindows(l, [0, 1, 2])).toEqual([10, 12, 15]);
    expect(limitsAfterWindows(l, [3, 4, 5, 6, 7, 8], 60)).toEqual([15, 12, 12, 9, 9, 8]);
  });

  it('does not cut on one slow window between good ones: a window median jumps with the host, not only the registry', () => {
    const l = law();
    expect(limitsAfterWindows(l, [0, 1, 2])).toEqual([10, 12, 15]);
    window(l, 60, 3);
    expect(l.limit).toBe(15);
    window(l, 20, 4);
    expect(l.limit).toBe(18);
    window(l, 60, 5);
    expect(l.limit).toBe(18);
    window(l, 20, 6);
    expect(l.limit).toBe(22);
  });

  it('tracks the floor: the lowest window median (one lucky answer does not set it); after floorTtlMs the latest median', () => {
    const l = law({ floorTtlMs: 1000 });
    l.observe({ kind: 'ok', sentAt: 0, latencyMs: 2 }, 0);
    window(l, 30, 0);
    expect(l.floorMs).toBe(30);
    window(l, 12, 10);
    expect(l.floorMs).toBe(12);
    // The network got slower for good: after the TTL the floor follows instead of shrinking the limit forever.
    window(l, 50, 2000);
    expect(l.floorMs).toBe(50);
    const before = l.limit;
    window(l, 50, 2001);
    expect(l.limit).toBeGreaterThan(before);
  });

  it('halves the limit on a 429, 503 or timeout — once per burst: answers to requests sent before the cut do not cut again', () => {
    const l = law();
    for (let i = 0; i < 4; i++) window(l, 20, i);
    expect(l.limit).toBe(18);
    // A burst: all sent at t=10, rejected at t=11.
    for (let i = 0; i < 5; i++) l.observe({ kind: 'overload', sentAt: 10, inFlightAtSend: 18 }, 11);
    expect(l.limit).toBe(9);
    // The burst's rejections were sent with 18 in flight: 17 taken.
    expect(l.ceiling).toBe(17);
    // Sent after the cut: new news, cut again.
    l.observe({ kind: 'timeout', sentAt: 12, inFlightAtSend: 9 }, 13);
    expect(l.limit).toBe(4);
    l.observe({ kind: 'overload', sentAt: 14, inFlightAtSend: 4 }, 15);
    l.observe({ kind: 'overload', sentAt: 16, inFlightAtSend: 2 }, 17);
    expect(l.limit).toBe(2); // never below min
  });

  it('learns a ceiling from an overload, grows back up to it, and probes above it only after ceilingHoldMs', () => {
    const l = law({ ceilingHoldMs: 30_000 });
    for (let i = 0; i < 4; i++) window(l, 20, i);
    expect(l.limit).toBe(18);
    // The registry refused the 17th request in flight: 16 taken.
    l.observe({ kind: 'overload', sentAt: 10, inFlightAtSend: 17 }, 11);
    expect(l.ceiling).toBe(16);
    expect(l.limit).toBe(9);
    expect(limitsAfterWindows(l, [12, 13, 14, 15, 16, 17])).toEqual([11, 13, 16, 16, 16, 16]);
    window(l, 20, 11 + 30_000);
    expect(l.limit).toBe(17);
    expect(l.ceiling).toBe(17);
    // Refused at 17 with 15 in flight: 14 were taken.
    l.observe({ kind: 'overload', sentAt: 30_020, inFlightAtSend: 15 }, 30_021);
    expect(l.ceiling).toBe(14);
    expect(l.limit).toBe(8);
  });

  it('resumes at the ceiling, not at half, when the burst pauses for a Retry-After: the pause drains the registry', () => {
    const l = law();
    for (let i = 0; i < 4; i++) window(l, 20, i); // 10, 12, 15, 18
    // The registry refused requests sent with 18 in flight and asked for a second's pause.
    l.observe({ kind: 'overload', sentAt: 10, inFlightAtSend: 18, retryAfterMs: 1000 }, 11);
    expect(l.pausedUntil).toBe(1011);
    expect(l.ceiling).toBe(17);
    // At the last limit a whole window went through (15), below the ceiling: one window grows it the rest.
    expect(l.limit).toBe(15);
    window(l, 20, 1012);
    expect(l.limit).toBe(17);
    // A later refusal of the same burst, sent with fewer in flight, still lowers both.
    l.observe({ kind: 'overload', sentAt: 10, inFlightAtSend: 14, retryAfterMs: 1000 }, 1013);
    expect(l.ceiling).toBe(13);
    expect(l.limit).toBe(13);
    // Before any window went through, the ceiling alone says where to resume.
    const fresh = law();
    fresh.observe({ kind: 'overload', sentAt: 0, inFlightAtSend: 7, retryAfterMs: 1000 }, 1);
    expect(fresh.limit).toBe(6);
    // Without a Retry-After the registry is still overloaded when the answer arrives: half, as before.
    const unpaused = law();
    for (let i = 0; i < 4; i++) window(unpaused, 20, i);
    unpaused.observe({ kind: 'overload', sentAt: 10, inFlightAtSend: 18 }, 11);
    expect(unpaused.limit).toBe(9);
  });

  it('halves after all when refused again before a window went through since the last cut: overloaded beyond Porthole', () => {
    const l = law();
    for (let i = 0; i < 4; i++) window(l, 20, i); // 10, 12, 15, 18
    l.observe({ kind: 'overload', sentAt: 10, inFlightAtSend: 17, retryAfterMs: 1000 }, 11);
    expect(l.limit).toBe(15); // resumed at the last good limit, below the ceiling of 16
    // Refused again right after the pause, before any window: half, not the ceiling.
    l.observe({ kind: 'overload', sentAt: 1012, inFlightAtSend: 15, retryAfterMs: 1000 }, 1013);
    expect(l.ceiling).toBe(14);
    expect(l.limit).toBe(7);
    // A window goes through; the next burst resumes at its ceiling again.
    window(l, 20, 2014);
    expect(l.limit).toBe(8);
    l.observe({ kind: 'overload', sentAt: 2015, inFlightAtSend: 8, retryAfterMs: 1000 }, 2016);
    expect(l.limit).toBe(7);
    expect(l.ceiling).toBe(7);
  });

  it('takes the fewest requests in flight any rejection of a burst was sent with, minus one, as the ceiling', () => {
    const l = law();
    for (let i = 0; i < 5; i++) window(l, 20, i); // 10, 12, 15, 18, 22: 18 went through a whole window
    expect(l.limit).toBe(22);
    // A ramp past the registry's 16: the requests sent with 17, 18, 19 and 20 in flight were all refused.
    l.observe({ kind: 'overload', sentAt: 10, inFlightAtSend: 17 }, 11);
    for (const inFlight of [18, 19, 20]) l.observe({ kind: 'overload', sentAt: 10, inFlightAtSend: inFlight }, 11);
    expect(l.ceiling).toBe(16); // 16 taken
    expect(l.limit).toBe(11);
    // A late one sent with fewer in flight says the registry took fewer.
    l.observe({ kind: 'overload', sentAt: 10, inFlightAtSend: 11 }, 12);
    expect(l.ceiling).toBe(10);
    expect(l.limit).toBe(10);
  });

  it('without a limit known to be good, takes the requests in flight when the rejected one was sent, minus one', () => {
    const l = law();
    l.observe({ kind: 'overload', sentAt: 0, inFlightAtSend: 6 }, 1);
    expect(l.ceiling).toBe(5);
    expect(l.limit).toBe(4);
  });

  it('ignores answers to requests sent before a cut when judging the next window', () => {
    const l = law();
    window(l, 20, 0);
    l.observe({ kind: 'overload', sentAt: 5, inFlightAtSend: 10 }, 6);
    const limit = l.limit;
    // Slow answers of the old burst: not a window of the new limit.
    for (let i = 0; i < 20; i++) l.observe({ kind: 'ok', sentAt: 4, latencyMs: 500 }, 7);
    expect(l.limit).toBe(limit);
  });

  it('pauses new requests until Retry-After (the later of two wins), capped at maxPauseMs', () => {
    const l = law({ maxPauseMs: 60_000 });
    expect(l.pausedUntil).toBe(0);
    l.observe({ kind: 'overload', sentAt: 0, inFlightAtSend: 8, retryAfterMs: 1000 }, 100);
    expect(l.pausedUntil).toBe(1100);
    l.observe({ kind: 'overload', sentAt: 0, inFlightAtSend: 8, retryAfterMs: 200 }, 150);
    expect(l.pausedUntil).toBe(1100);
    l.observe({ kind: 'overload', sentAt: 0, inFlightAtSend: 8, retryAfterMs: 3_600_000 }, 200);
    expect(l.pausedUntil).toBe(60_200);
  });

  it('never exceeds max (maxConcurrency), and capAt lowers it for a registry shared by sources', () => {
    const l = law({ max: 20 });
    for (let i = 0; i < 20; i++) window(l, 20, i);
    expect(l.limit).toBe(20);
    l.capAt(12);
    expect(l.limit).toBe(12);
    expect(l.ceiling).toBe(12);
    window(l, 20, 100);
    expect(l.limit).toBe(12);
    l.capAt(1);
    expect(l.limit).toBe(2);
    expect(() => law({ min: 4, max: 3 })).toThrow(RangeError);
  });
});
