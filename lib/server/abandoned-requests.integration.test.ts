/**
 * A client that leaves cancels its registry work, unless another view shares it; and `timeoutSeconds` is a
 * deadline for a whole registry request, not for each chunk (issue 10 item 5). A loopback "registry"
 * (node:http) that never answers some requests and trickles others, through the real route handlers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSources, setConfigForTests } from './sources';
import { api, getJson } from '@/lib/server/testing/test-api';
import { configOf } from '@/lib/server/testing/test-support';

let server: Server;
/** Requests to `/v2/hang/…` the registry holds open, by path. */
const open = new Map<string, number>();
const held = new Set<ServerResponse>();
const timers = new Set<NodeJS.Timeout>();

function hang(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '';
  open.set(path, (open.get(path) ?? 0) + 1);
  held.add(res);
  res.on('close', () => {
    open.set(path, open.get(path)! - 1);
    held.delete(res);
  });
}

function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
  res.write('{"name":"trickle/r","tags":["');
  const timer = setInterval(() => res.write('a'), 300);
  timers.add(timer);
  res.on('close', () => {
    clearInterval(timer);
    timers.delete(timer);
  });
}

const openCount = () => [...open.values()].reduce((a, b) => a + b, 0);

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    if (url === '/v2/') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (url.startsWith('/v2/hang/')) return hang(req, res);
    if (url.startsWith('/v2/trickle/')) return trickle(res);
    if (url.startsWith('/v2/ok/r/tags/list')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"ok/r","tags":["a"]}');
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NAME_UNKNOWN","message":"unknown"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await setConfigForTests(
    configOf({
      sources: [
        // Patient enough that nothing here ends by the registry timing out.
        { name: 'loop', url, retries: 0, timeoutSeconds: 600, concurrency: 8 },
        { name: 'slow', url, retries: 0, timeoutSeconds: 2 },
      ],
    }),
  );
});

afterAll(async () => {
  for (const res of held) res.destroy();
  for (const timer of timers) clearInterval(timer);
  await setConfigForTests(null);
  await resetSources();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('clients that leave', () => {
  it('free the source: 30 abandoned views of a silent registry do not delay the next patient one', async () => {
    const clients = Array.from({ length: 30 }, (_, i) => {
      const controller = new AbortController();
      const response = api(`/api/sources/loop/repositories/hang/r${i}/-/tags?details=false`, { signal: controller.signal });
      return { controller, response };
    });
    // Every slot of the source is taken by a request the registry never answers.
    await until(() => openCount() === 8);
    for (const c of clients) c.controller.abort();
    const answers = await Promise.all(clients.map((c) => c.response));
    expect(answers.every((r) => r.status === 499)).toBe(true);
    // Their registry requests were cancelled (the registry saw the connections close) ...
    await until(() => openCount() === 0);
    // ... and the next patient view is served at once instead of waiting for their timeouts.
    const patient = await getJson<{ tags: { name: string }[] }>('/api/sources/loop/repositories/ok/r/-/tags?details=false');
    expect(patient.status).toBe(200);
    expect(patient.body.tags.map((t) => t.name)).toEqual(['a']);
  });

  it('keep shared work running while another view still waits for it', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const path = '/api/sources/loop/repositories/hang/shared/-/tags?details=false';
    const a = api(path, { signal: first.signal });
    await until(() => openCount() === 1);
    const b = api(path, { signal: second.signal });
    first.abort();
    expect((await a).status).toBe(499);
    // One registry request serves both views; the second view still waits for it, so it stays open.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(open.get('/v2/hang/shared/tags/list?n=1000')).toBe(1);
    second.abort();
    expect((await b).status).toBe(499);
    await until(() => openCount() === 0);
  });
});

describe('timeoutSeconds', () => {
  it('is a deadline for the whole registry request: a registry trickling bytes gets a 504', async () => {
    const { status, body } = await getJson<{ errors: { code: string; message: string }[] }>('/api/sources/slow/repositories/trickle/r/-/tags?details=false');
    expect(status).toBe(504);
    expect(body.errors[0]!.code).toBe('TIMEOUT');
    expect(body.errors[0]!.message).toMatch(/did not answer completely within 2 s/);
  });
});
