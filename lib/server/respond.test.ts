import { afterEach, describe, expect, it, vi } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { ConfigError } from './config';
import { errorResponse, handle, logError, redact, setRedactions, toRegistryError } from './respond';

afterEach(() => setRedactions([]));

describe('respond', () => {
  it('sends results as JSON and errors in the wire format with their status', async () => {
    const ok = await handle(new Request('http://h/x'), async () => ({ a: 1 }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('application/json');
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.json()).toEqual({ a: 1 });
    const missing = await handle(new Request('http://h/x'), async () => {
      throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { detail: { Tag: 'v9' } });
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'v9' } }] });
  });

  it('hides internals: unknown errors, config errors, UNKNOWN details', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const crash = errorResponse(new Error('ENOENT: /var/lib/secret/path'));
    expect(crash.status).toBe(500);
    expect(JSON.stringify(await crash.json())).not.toContain('/var/lib');
    expect(log).toHaveBeenCalled();
    const config = errorResponse(new ConfigError('bad field in /etc/x.yaml', '/etc/x.yaml'));
    expect(JSON.stringify(await config.json())).not.toContain('/etc/x.yaml');
    const upstream = errorResponse(new RegistryError('UNKNOWN', 'unknown error', { detail: '/var/lib/registry/docker/registry/v2/x', status: 500 }));
    expect(await upstream.json()).toEqual({ errors: [{ code: 'UNKNOWN', message: 'unknown error' }] });
    log.mockRestore();
  });

  it('maps network failures to 502 and 504', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(toRegistryError(refused)).toMatchObject({ code: 'UNAVAILABLE', status: 502 });
    expect(toRegistryError(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toMatchObject({ code: 'TIMEOUT', status: 504 });
  });

  it('redacts secrets anywhere and paths only where a path starts', async () => {
    setRedactions([
      { value: 'super-secret-pw', replacement: '[redacted]' },
      { value: '/app', replacement: '<cwd>', path: true },
    ]);
    expect(redact('pw=super-secret-pw; at /app/data, repo team/app')).toBe('pw=[redacted]; at <cwd>/data, repo team/app');
    const response = errorResponse(new RegistryError('UNAUTHORIZED', 'rejected super-secret-pw', { detail: { p: 'super-secret-pw' } }));
    expect(JSON.stringify(await response.json())).not.toContain('super-secret-pw');
  });

  it('logs stack traces without local paths, and JSON answers without secrets', async () => {
    setRedactions([
      { value: process.cwd(), replacement: '.', path: true },
      { value: 'super-secret-pw', replacement: '[redacted]' },
    ]);
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    logError('GET /x', new Error('failed with super-secret-pw'));
    const line = String(log.mock.calls[0]?.[0]);
    log.mockRestore();
    expect(line).toContain('respond.test.ts'); // the stack is there…
    expect(line).not.toContain(process.cwd()); // …without the local path
    expect(line).not.toContain('super-secret-pw');
    const ok = await handle(new Request('http://h/x'), async () => ({ echoed: 'Authorization: Basic c3VwZXI6c3VwZXItc2VjcmV0LXB3', pw: 'super-secret-pw' }));
    expect(await ok.text()).toBe('{"echoed":"Authorization: Basic [redacted]","pw":"[redacted]"}');
  });
});
