/**
 * GET /api/metrics and the JSON log lines against a real registry (CNCF distribution 2.8.2 from the harness):
 * requests through configured sources move the request counters, latency histograms and retry counters with
 * the source's labels; a delete moves the change counter and writes a `deletion` line; an unreachable registry
 * and a 503 (from a loopback front that answers 503 once per tag list, which distribution cannot be made to
 * do) write `registry_error` lines carrying the request id. With app auth configured the endpoint needs a user.
 */
import { createServer, request, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/registry/testing/exec';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { seedTags } from '@/lib/registry/testing/seed-tags';
import { setLogSink } from './json-log';
import { installObservability } from './observability';
import { runWithRequest } from './request-context';
import { resetSources, setConfigForTests } from './sources';
import { parseSamples, sampleSum, type Sample } from './testing/metrics-text';
import { api } from './testing/test-api';
import { configOf } from './testing/test-support';

const REPO = 'metrics/app';
const APP_TOKEN = 'metrics-app-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${APP_TOKEN}` };

let registry: RunningRegistry;
let front: Server;
let frontUrl: string;
let dir: string;
let closedPort: number;
const lines: Record<string, unknown>[] = [];
let restoreSink: () => void;

/** A loopback front for the registry that answers the first GET of each tag list with 503 (Retry-After: 0). */
async function startFlakyFront(upstream: string): Promise<Server> {
  const target = new URL(upstream);
  const failed = new Set<string>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (req.method === 'GET' && path.includes('/tags/list') && !failed.has(path)) {
      failed.add(path);
      res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAVAILABLE","message":"try again"}]}');
      return;
    }
    const forward = request({ host: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function scrape(headers: Record<string, string> = AUTH): Promise<Sample[]> {
  const response = await api('/api/metrics', { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseSamples(await response.text());
}

/** How much each sample sum moved between two scrapes. */
function moved(before: Sample[], after: Sample[], name: string, labels: Record<string, string>): number {
  return sampleSum(after, name, labels) - sampleSum(before, name, labels);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-metrics-'));
  registry = await startRegistry({ auth: 'basic', delete: true });
  await seedTags(registry, REPO, { images: 2, tagsPer: () => 2, seed: 'metrics' });
  front = await startFlakyFront(registry.url);
  frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  closedPort = await freePort();
  const { username, password } = registry.credentials!;
  await setConfigForTests(
    configOf(
      {
        auditLog: join(dir, 'audit.jsonl'),
        auth: { tokens: [{ name: 'ops', tokenEnv: 'APP_TOKEN' }] },
        sources: [
          { name: 'metrics-src', url: registry.url, username, password, delete: true },
          { name: 'flaky', url: frontUrl, username, password, retries: 2 },
          { name: 'down', url: `http://127.0.0.1:${closedPort}`, retries: 0 },
        ],
      },
      { APP_TOKEN },
    ),
  );
  restoreSink = setLogSink((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  // What the server's instrumentation.ts does at start.
  installObservability();
}, 120_000);

afterAll(async () => {
  restoreSink?.();
  delete process.env.PORTHOLE_SLOW_REQUEST_MS;
  await setConfigForTests(null);
  await resetSources();
  await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('GET /api/metrics after requests through real registries', () => {
  it('counts registry requests by source, registry, method and status, with latency histograms', async () => {
    const before = await scrape();
    const tags = await api(`/api/sources/metrics-src/repositories/${REPO}/-/tags`);
    expect(tags.status).toBe(200);
    expect(((await tags.json()) as { total: number }).total).toBe(4);
    const after = await scrape();

    const labels = { source: 'metrics-src', registry: registry.url, method: 'GET' };
    // The tag list and the two distinct manifests at least (configs and a 401 challenge may come on top).
    expect(moved(before, after, 'porthole_registry_requests_total', { ...labels, status: '200' })).toBeGreaterThanOrEqual(3);
    const requests = moved(before, after, 'porthole_registry_requests_total', labels);
    expect(moved(before, after, 'porthole_registry_request_duration_seconds_count', labels)).toBe(requests);
    expect(moved(before, after, 'porthole_registry_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(requests);
    expect(moved(before, after, 'porthole_registry_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    // Nothing is put on another source's account.
    expect(moved(before, after, 'porthole_registry_requests_total', { source: 'flaky' })).toBe(0);
  });

  it('counts a retry and the 503 that caused it, and logs the 503 as a registry error', async () => {
    const before = await scrape();
    lines.length = 0;
    const tags = await api(`/api/sources/flaky/repositories/${REPO}/-/tags`);
    expect(tags.status).toBe(200);
    const after = await scrape();
    const labels = { source: 'flaky', registry: frontUrl, method: 'GET' };
    expect(moved(before, after, 'porthole_registry_retries_total', { ...labels, reason: '503' })).toBe(1);
    expect(moved(before, after, 'porthole_registry_requests_total', { ...labels, status: '503' })).toBe(1);
    expect(moved(before, after, 'porthole_registry_requests_total', { ...labels, status: '200' })).toBeGreaterThanOrEqual(3);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', event: 'registry_error', source: 'flaky', method: 'GET', path: `/v2/${REPO}/tags/list`, status: 503, attempt: 0 }),
    );
  });

  it('counts an unreachable registry by its error code and logs it with the request id', async () => {
    const before = await scrape();
    lines.length = 0;
    const answer = await runWithRequest({ requestId: 'metrics-it-1' }, () => api('/api/sources/down/repositories'));
    expect(answer.status).toBe(502);
    const after = await scrape();
    expect(moved(before, after, 'porthole_registry_requests_total', { source: 'down', method: 'GET', status: 'UNAVAILABLE' })).toBe(1);
    const line = lines.find((l) => l.event === 'registry_error' && l.source === 'down');
    expect(line).toMatchObject({ level: 'error', requestId: 'metrics-it-1', registry: `http://127.0.0.1:${closedPort}`, error: 'UNAVAILABLE', path: '/v2/_catalog' });
    expect(String(line!.message)).toContain('refused the connection');
  });

  it('logs slow registry requests past the configured threshold', async () => {
    process.env.PORTHOLE_SLOW_REQUEST_MS = '0.001';
    lines.length = 0;
    try {
      expect((await api('/api/sources/metrics-src/repositories')).status).toBe(200);
    } finally {
      delete process.env.PORTHOLE_SLOW_REQUEST_MS;
    }
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', event: 'registry_slow', source: 'metrics-src', path: '/v2/_catalog', status: 200, thresholdMs: 0.001 }));
    // Under a threshold no loopback request reaches (10 min), the same request logs nothing.
    process.env.PORTHOLE_SLOW_REQUEST_MS = '600000';
    const before = await scrape();
    lines.length = 0;
    try {
      expect((await api('/api/sources/metrics-src/repositories')).status).toBe(200);
    } finally {
      delete process.env.PORTHOLE_SLOW_REQUEST_MS;
    }
    // The registry was asked again (not a cached answer), and said nothing slow.
    expect(moved(before, await scrape(), 'porthole_registry_requests_total', { source: 'metrics-src', method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(lines.filter((l) => l.event === 'registry_slow')).toEqual([]);
  });

  it('counts deletes by outcome and logs each deletion', async () => {
    const before = await scrape();
    lines.length = 0;
    const refused = await api(`/api/sources/metrics-src/repositories/${REPO}/-/tags/t0-0`, { method: 'DELETE' });
    expect(refused.status).toBe(401);
    const deleted = await runWithRequest({ requestId: 'metrics-it-2' }, () => api(`/api/sources/metrics-src/repositories/${REPO}/-/tags/t0-0`, { method: 'DELETE', headers: AUTH }));
    expect(deleted.status).toBe(200);
    const after = await scrape();
    expect(moved(before, after, 'porthole_changes_total', { action: 'delete-tag', outcome: 'denied' })).toBe(1);
    expect(moved(before, after, 'porthole_changes_total', { action: 'delete-tag', outcome: 'ok' })).toBe(1);
    expect(moved(before, after, 'porthole_registry_requests_total', { source: 'metrics-src', method: 'DELETE' })).toBeGreaterThanOrEqual(1);
    const deletions = lines.filter((l) => l.event === 'deletion');
    expect(deletions).toEqual([
      expect.objectContaining({ level: 'warn', action: 'delete-tag', result: 'denied', user: 'unauthenticated', source: 'metrics-src', repository: REPO, tag: 't0-0' }),
      expect.objectContaining({ level: 'info', action: 'delete-tag', result: 'ok', user: 'ops', source: 'metrics-src', repository: REPO, tag: 't0-0', requestId: 'metrics-it-2' }),
    ]);
  });
});

describe('app auth on /api/metrics', () => {
  it('answers 401 UNAUTHORIZED without a user or with an unknown token, when app auth is configured', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-configured-token-0123' }];
    for (const headers of attempts) {
      const response = await api('/api/metrics', { headers });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: { code: string; message: string }[] };
      expect(body.errors[0]!.code).toBe('UNAUTHORIZED');
      expect(body.errors[0]!.message).toContain('reading metrics');
    }
  });

  it('needs no user when app auth is not configured', async () => {
    await setConfigForTests(configOf({ sources: [{ name: 'metrics-src', url: registry.url, username: 'admin', password: 'admin-secret' }] }));
    const samples = await scrape({});
    expect(samples.some((s) => s.name === 'porthole_registry_requests_total')).toBe(true);
  });
});
