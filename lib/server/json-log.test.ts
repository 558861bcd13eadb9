import { afterEach, describe, expect, it } from 'vitest';
import { setRedactions } from '@/lib/redaction/secrets';
import { formatLogLine, setLogSink, writeLog } from './json-log';
import { runWithRequest } from './request-context';

const TIME = new Date('2026-11-27T10:00:00.000Z');

afterEach(() => setRedactions([]));

describe('formatLogLine', () => {
  it('writes one JSON object: time, level, event and request id first, then the fields', () => {
    const line = formatLogLine({ level: 'error', event: 'registry_error', fields: { source: 's', status: 503 } }, TIME, 'req-1');
    expect(line).not.toContain('\n');
    expect(line).toBe('{"time":"2026-11-27T10:00:00.000Z","level":"error","event":"registry_error","requestId":"req-1","source":"s","status":503}');
  });

  it('leaves the request id out outside a request, and fields cannot override the head', () => {
    const parsed = JSON.parse(formatLogLine({ level: 'info', event: 'deletion', fields: { level: 'debug', event: 'x', time: 0, requestId: 'forged', tag: 'v1' } }, TIME, undefined)) as Record<string, unknown>;
    expect(parsed).toEqual({ time: TIME.toISOString(), level: 'info', event: 'deletion', tag: 'v1' });
  });

  it('redacts configured secrets in any field, raw and JSON-escaped, and credential header values', () => {
    setRedactions([{ value: 'S3cret"pw', replacement: '[redacted]' }]);
    const line = formatLogLine(
      { level: 'error', event: 'registry_error', fields: { message: 'echo: S3cret"pw', nested: { auth: 'Basic dXNlcjpTM2NyZXQicHdkZWY=' } } },
      TIME,
      undefined,
    );
    expect(line).not.toContain('S3cret');
    expect(line).not.toContain('dXNlcjpTM2NyZXQicHdkZWY');
    const parsed = JSON.parse(line) as { message: string; nested: { auth: string } };
    expect(parsed.message).toBe('echo: [redacted]');
    expect(parsed.nested.auth).toBe('Basic [redacted]');
  });

  it('escapes line breaks and control characters, and cuts very long strings', () => {
    const line = formatLogLine({ level: 'warn', event: 'e', fields: { repo: 'a\nfake {"level":"info"}\r\u0000', long: 'x'.repeat(5000) } }, TIME, undefined);
    expect(line.split('\n')).toHaveLength(1);
    const parsed = JSON.parse(line) as { repo: string; long: string };
    expect(parsed.repo).toBe('a\nfake {"level":"info"}\r\u0000');
    expect(parsed.long).toHaveLength(1001);
  });
});

describe('writeLog', () => {
  it('stamps the line with the request being served', async () => {
    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line));
    try {
      writeLog({ level: 'info', event: 'outside', fields: {} });
      await runWithRequest({ requestId: 'abc-123' }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        writeLog({ level: 'info', event: 'inside', fields: {} });
      });
    } finally {
      restore();
    }
    const parsed = lines.map((l) => JSON.parse(l) as { event: string; requestId?: string });
    expect(parsed.map((p) => [p.event, p.requestId])).toEqual([
      ['outside', undefined],
      ['inside', 'abc-123'],
    ]);
  });

  it('never throws, even when the sink does', () => {
    const restore = setLogSink(() => {
      throw new Error('disk full');
    });
    try {
      expect(() => writeLog({ level: 'info', event: 'e', fields: {} })).not.toThrow();
    } finally {
      restore();
    }
  });
});
