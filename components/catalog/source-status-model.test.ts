import { describe, expect, it } from 'vitest';
import type { SourceStatus } from '@/lib/api/types';
import { describeStatus } from './source-status-model';

const base: SourceStatus = {
  reachable: true,
  auth: 'accepted',
  catalog: true,
  referrersApi: false,
  tagDelete: 'unsupported',
  latencyMs: 12,
  checkedAt: '2026-11-27T19:00:00.000Z',
};

describe('describeStatus', () => {
  it('is "checking" until the first answer', () => {
    expect(describeStatus(undefined)).toEqual({ state: 'checking', label: 'Checking…' });
  });

  it('shows a usable registry with its latency and what it can do', () => {
    expect(describeStatus(base)).toEqual({ state: 'ok', label: 'Reachable · 12 ms' });
    expect(describeStatus({ ...base, catalog: false, referrersApi: true, tagDelete: 'placeholder' })).toEqual({
      state: 'ok',
      label: 'Reachable · 12 ms',
      detail: 'no catalog · referrers API · tag delete: placeholder',
    });
    expect(describeStatus({ ...base, auth: 'none', latencyMs: null }).label).toBe('Reachable');
  });

  it('says the credentials are rejected, with the registry message', () => {
    const view = describeStatus({ ...base, auth: 'rejected', catalog: 'unknown', error: { code: 'UNAUTHORIZED', message: 'authentication required' } });
    expect(view).toEqual({ state: 'rejected', label: 'Credentials rejected', detail: 'UNAUTHORIZED: authentication required' });
  });

  it('says a registry is down, and when it did not answer in time', () => {
    const down = { ...base, reachable: false, auth: 'unknown' as const, latencyMs: null, error: { code: 'UNAVAILABLE', message: '127.0.0.1:5000 refused the connection' } };
    expect(describeStatus(down)).toEqual({ state: 'down', label: 'Down', detail: 'UNAVAILABLE: 127.0.0.1:5000 refused the connection' });
    expect(describeStatus({ ...down, error: { code: 'TIMEOUT', message: 'x' } }).label).toBe('Down (no answer)');
  });
});
