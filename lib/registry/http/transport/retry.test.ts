import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, parseRetryAfter, sleep } from './retry';

const policy = { max: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

describe('retry policy', () => {
  it('retries 429/502/503/504 for GET and HEAD, only 429/503 (not applied) for writes', () => {
    for (const status of [429, 502, 503, 504]) {
      expect(isRetryableStatus('GET', status)).toBe(true);
      expect(isRetryableStatus('HEAD', status)).toBe(true);
    }
    for (const method of ['PUT', 'POST', 'PATCH', 'DELETE'] as const) {
      expect(isRetryableStatus(method, 429)).toBe(true);
      expect(isRetryableStatus(method, 503)).toBe(true);
      expect(isRetryableStatus(method, 502)).toBe(false);
      expect(isRetryableStatus(method, 504)).toBe(false);
    }
    for (const status of [200, 400, 401, 404, 500]) expect(isRetryableStatus('GET', status)).toBe(false);
  });

  it('parses Retry-After as seconds or an HTTP-date', () => {
    const now = Date.parse('2026-05-01T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Fri, 01 May 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Fri, 01 May 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped, never below Retry-After, giving up on long Retry-After', () => {
    expect(backoffDelay(0, policy, undefined, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, undefined, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, undefined, () => 1)).toBe(800);
    expect(backoffDelay(10, policy, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(10, policy, undefined, () => 0)).toBe(500);
    expect(backoffDelay(0, policy, 2000, () => 0)).toBe(2000);
    expect(backoffDelay(0, policy, 6000)).toBeUndefined();
  });

  it('sleep rejects with the abort reason', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    await expect(sleep(1)).resolves.toBeUndefined();
  });
});
