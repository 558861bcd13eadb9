import { describe, expect, it } from 'vitest';
import type { RegistryRequestEvent } from '@/lib/registry/http/transport/observers';
import { setLogSink } from './json-log';
import { metricsText } from './metrics';
import { DEFAULT_SLOW_REQUEST_MS, deletionLogRecord, installObservability, observeAudit, registryLogRecord, slowRequestMs } from './observability';
import { sampleSum } from './testing/metrics-text';

const request = (over: Partial<RegistryRequestEvent>): RegistryRequestEvent => ({
  type: 'request',
  source: 'hub',
  registry: 'https://r.example',
  method: 'GET',
  path: '/v2/a/tags/list',
  durationMs: 12.4,
  attempt: 0,
  ...over,
});

describe('registry log lines', () => {
  it('logs an attempt without an answer as registry_error with its code and message', () => {
    expect(registryLogRecord(request({ error: 'UNAVAILABLE', message: 'r.example refused the connection' }), 2000)).toEqual({
      level: 'error',
      event: 'registry_error',
      fields: { source: 'hub', registry: 'https://r.example', method: 'GET', path: '/v2/a/tags/list', error: 'UNAVAILABLE', message: 'r.example refused the connection', durationMs: 12, attempt: 0 },
    });
  });

  it('logs 5xx as errors and 429 as a warning; 2xx, 3xx and 4xx answers are not errors', () => {
    expect(registryLogRecord(request({ status: 503 }), 2000)).toMatchObject({ level: 'error', event: 'registry_error', fields: { status: 503 } });
    expect(registryLogRecord(request({ status: 429 }), 2000)).toMatchObject({ level: 'warn', event: 'registry_error' });
    for (const status of [200, 202, 307, 401, 404]) expect(registryLogRecord(request({ status }), 2000)).toBeUndefined();
  });

  it('logs a slow answer as registry_slow with the threshold; a client that left is not logged', () => {
    expect(registryLogRecord(request({ status: 200, durationMs: 2000 }), 2000)).toMatchObject({ level: 'warn', event: 'registry_slow', fields: { durationMs: 2000, thresholdMs: 2000 } });
    expect(registryLogRecord(request({ status: 200, durationMs: 1999 }), 2000)).toBeUndefined();
    expect(registryLogRecord(request({ error: 'ABORTED', durationMs: 60_000 }), 2000)).toBeUndefined();
    expect(registryLogRecord({ type: 'retry', source: 'hub', registry: 'https://r.example', method: 'GET', path: '/', reason: '503', attempt: 1 }, 2000)).toBeUndefined();
  });

  it('takes the slow threshold from PORTHOLE_SLOW_REQUEST_MS when it is a positive number', () => {
    expect(slowRequestMs({})).toBe(DEFAULT_SLOW_REQUEST_MS);
    expect(slowRequestMs({ PORTHOLE_SLOW_REQUEST_MS: '500' })).toBe(500);
    for (const bad of ['0', '-1', 'soon', '']) expect(slowRequestMs({ PORTHOLE_SLOW_REQUEST_MS: bad })).toBe(DEFAULT_SLOW_REQUEST_MS);
  });
});

describe('deletion log lines', () => {
  it('logs every delete attempt with its outcome, and nothing for other actions', () => {
    const base = { user: 'alice', source: 'hub', repository: 'team/app' };
    expect(deletionLogRecord({ ...base, action: 'delete-tag', tag: 'v1', result: 'ok' })).toEqual({
      level: 'info',
      event: 'deletion',
      fields: { action: 'delete-tag', result: 'ok', user: 'alice', source: 'hub', repository: 'team/app', tag: 'v1' },
    });
    expect(deletionLogRecord({ ...base, action: 'delete-manifest', result: 'denied', error: { code: 'DENIED', message: 'read-only' } })?.level).toBe('warn');
    expect(deletionLogRecord({ ...base, action: 'delete-blob', result: 'error' })?.level).toBe('error');
    expect(deletionLogRecord({ ...base, action: 'copy', result: 'ok' })).toBeUndefined();
    expect(deletionLogRecord({ ...base, action: 'cleanup', result: 'ok' })).toBeUndefined();
  });
});

describe('observeAudit', () => {
  it('counts every audited change; writes deletion lines only once the server installed observability', async () => {
    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line));
    const count = async () => sampleSum((await metricsText()).text, 'porthole_changes_total', { action: 'delete-tag', outcome: 'ok' });
    try {
      const before = await count();
      const entry = { action: 'delete-tag', result: 'ok', user: 'ops', source: 'hub', repository: 'a', tag: 'v1' };
      observeAudit(entry); // a command-line tool: counted, not logged
      expect(lines).toEqual([]);
      installObservability();
      observeAudit(entry);
      expect(await count()).toBe(before + 2);
      expect(lines.map((line) => (JSON.parse(line) as { event: string }).event)).toEqual(['deletion']);
    } finally {
      restore();
    }
  });
});
