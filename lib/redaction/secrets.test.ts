import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as secrets from './secrets';
import { clearLearntSecrets, redact, registerSecret, setRedactions } from './secrets';

afterEach(() => {
  setRedactions([]);
  clearLearntSecrets();
});

describe('redaction', () => {
  it('is one list per process: a second copy of the module (another Next.js chunk) sees what the first set', async () => {
    setRedactions([{ value: 's3cret-xyz-pass', replacement: '[redacted]' }]);
    vi.resetModules();
    // A query makes vitest load a second, separate instance of the module, like a second Next.js chunk.
    const copy = (await import(/* @vite-ignore */ `./secrets.ts?copy=${Date.now()}`)) as typeof secrets;
    expect(copy.redact).not.toBe(redact);
    expect(copy.redact('source "s3cret-xyz-pass" is not configured')).toBe('source "[redacted]" is not configured');
    copy.registerSecret('token-from-a-token-server');
    expect(redact('Authorization: token-from-a-token-server')).not.toContain('token-from-a-token-server');
  });

  it('replaces a secret in its JSON-escaped and percent-encoded forms too', () => {
    const secret = 'pa"ss/w\\rd';
    setRedactions([{ value: secret, replacement: '[redacted]' }]);
    const json = JSON.stringify({ message: `bad ${secret}` });
    expect(json).not.toContain(secret);
    expect(redact(json)).toBe('{"message":"bad [redacted]"}');
    expect(redact(`/api/sources/${encodeURIComponent(secret)}/x`)).toBe('/api/sources/[redacted]/x');
  });

  it('replaces credential header values whatever they are, but not prose', () => {
    expect(redact('echo: Basic bWFsbG9yeTpldmlsLXBhc3MtMTIz')).toBe('echo: Basic [redacted]');
    expect(redact('{"authorization":"Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"}')).toBe('{"authorization":"Bearer [redacted]"}');
    expect(redact('the registry wants Basic authentication')).toBe('the registry wants Basic authentication');
  });

  it('replaces paths only as whole path components', () => {
    setRedactions([{ value: '/root', replacement: '~', path: true }]);
    expect(redact('at /root/app/x.js and /rootfs/y, repo team/root')).toBe('at ~/app/x.js and /rootfs/y, repo team/root');
  });

  it('keeps a bounded list of learnt secrets, newest kept', () => {
    for (let i = 0; i < 600; i++) registerSecret(`token-${String(i).padStart(4, '0')}`);
    expect(redact('token-0599')).toBe('[redacted]');
    expect(redact('token-0000')).toBe('token-0000');
  });
});
