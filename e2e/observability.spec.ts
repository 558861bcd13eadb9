/**
 * Metrics and request ids against the built server (scripts/serve.ts, the production entry), issue 16 "What
 * operators expect": every /api and /v2 answer carries `X-Request-Id` (a sane incoming one is kept), the JSON log
 * line of a failing registry request carries the same id, and `GET /api/metrics` (behind app auth here) counts
 * that request. A Porthole of its own, with a source whose registry port is closed.
 */
import { freePort } from '../lib/registry/testing/exec';
import { startPorthole, type PortholeServer } from './support/porthole-server';
import { expect, test } from './support/test';

const APP_TOKEN = 'observability-e2e-token-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: PortholeServer;
let closedPort: number;

/** The JSON objects among the server's log lines. */
async function jsonLines(): Promise<Record<string, unknown>[]> {
  return (await server.log())
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test.describe('request ids, JSON logs and metrics of the built server', () => {
  test.describe.configure({ timeout: 180_000 });

  test.beforeAll(async ({ stack }) => {
    test.setTimeout(180_000);
    closedPort = await freePort();
    server = await startPorthole({
      auth: { tokens: [{ name: 'ops', token: APP_TOKEN }] },
      sources: [
        { name: 'registry', kind: 'http', url: stack.registryUrl, serve: 'read' },
        // catalogCacheSeconds 0: no catalog read at start, so the metrics count only the test's own request.
        { name: 'down', kind: 'http', url: `http://127.0.0.1:${closedPort}`, retries: 0, catalogCacheSeconds: 0 },
      ],
    });
  });

  test.afterAll(async () => {
    await server?.stop();
  });

  test('a failing registry request is logged as JSON with the request id the answer names', async () => {
    const answer = await fetch(`${server.url}/api/sources/down/repositories`, { headers: { 'x-request-id': 'e2e-obs-42' } });
    expect(answer.status).toBe(502);
    expect(answer.headers.get('x-request-id')).toBe('e2e-obs-42');
    await expect
      .poll(async () => (await jsonLines()).find((line) => line.event === 'registry_error' && line.requestId === 'e2e-obs-42'))
      .toMatchObject({ level: 'error', source: 'down', registry: `http://127.0.0.1:${closedPort}`, method: 'GET', path: '/v2/_catalog', error: 'UNAVAILABLE' });
  });

  test('every /api and /v2 answer names a request id; an unsafe incoming one is replaced', async () => {
    const generated = await fetch(`${server.url}/api/health`);
    expect(generated.headers.get('x-request-id')).toMatch(UUID);
    const unsafe = await fetch(`${server.url}/api/health`, { headers: { 'x-request-id': 'has space"and quote' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(UUID);
    const registryApi = await fetch(`${server.url}/v2/`, { headers: { 'x-request-id': 'e2e-v2' } });
    expect(registryApi.headers.get('x-request-id')).toBe('e2e-v2');
    // Refused before routing (405 with Allow): still named.
    const refused = await fetch(`${server.url}/api/metrics`, { method: 'POST', headers: { 'x-request-id': 'e2e-refused' } });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('x-request-id')).toBe('e2e-refused');
    // Pages are not part of it.
    expect((await fetch(`${server.url}/robots.txt`)).headers.get('x-request-id')).toBeNull();
  });

  test('GET /api/metrics needs the app token and counts the failed request by source and status', async () => {
    const anonymous = await fetch(`${server.url}/api/metrics`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('UNAUTHORIZED');

    const scrape = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${APP_TOKEN}` } });
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await scrape.text();
    expect(text).toContain(`porthole_registry_requests_total{source="down",registry="http://127.0.0.1:${closedPort}",method="GET",status="UNAVAILABLE"} 1`);
    expect(text).toMatch(/^# TYPE porthole_registry_request_duration_seconds histogram$/m);
    expect(text).toMatch(/^porthole_cache_lookups_total\{tier="redis",outcome="error"\} \d+$/m);
    expect(text).not.toContain(APP_TOKEN);
  });
});
