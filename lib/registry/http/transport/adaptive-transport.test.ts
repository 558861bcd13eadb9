/**
 * The transport feeds the registry's adaptive limit (`concurrency: 'auto'`) over real loopback sockets: what
 * the answers were (503 and its Retry-After) and which requests got none in time. The law itself is unit-tested
 * in concurrency-law.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpRegistry, type HttpRegistry } from '../index';
import { registryLimits } from './adaptive-limit';

let server: Server | undefined;
const registries: HttpRegistry[] = [];

async function serve(status: (path: string) => number | 'hang'): Promise<string> {
  server = createServer((req, res) => {
    const answer = status(req.url ?? '');
    if (answer === 'hang') return;
    res.writeHead(answer, { 'content-type': 'application/json', ...(answer === 503 ? { 'retry-after': '1' } : {}) });
    res.end(answer === 200 ? '{"name":"r","tags":["a"]}' : '{"errors":[{"code":"UNAVAILABLE","message":"busy"}]}');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function open(url: string, concurrency: number | 'auto' = 'auto'): HttpRegistry {
  const registry = createHttpRegistry({ url, concurrency, retries: 0, timeouts: { headers: 300 } });
  registries.push(registry);
  return registry;
}

afterEach(async () => {
  for (const r of registries.splice(0)) await r.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('the transport and the adaptive limit', () => {
  it('a request without an answer in time halves the limit', async () => {
    const url = await serve(() => 'hang');
    const registry = open(url);
    expect(registryLimits().get(url)?.limit).toBe(8);
    await expect(registry.getTag('r', 'a')).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(registryLimits().get(url)?.limit).toBe(4);
  });

  it('a 503 holds the next request back until its Retry-After, then resumes at what the registry took', async () => {
    let calls = 0;
    const url = await serve(() => (calls++ === 0 ? 503 : 200));
    const registry = open(url);
    await expect(collectTags(registry)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    // Refused with nothing else in flight: the registry took none, so the lowest limit (2).
    expect(registryLimits().get(url)?.limit).toBe(2);
    const started = performance.now();
    expect(await collectTags(registry)).toEqual(['a']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a fixed concurrency keeps a limiter of its own, outside the published map', async () => {
    const url = await serve(() => 200);
    const registry = open(url, 4);
    expect(await collectTags(registry)).toEqual(['a']);
    expect(registryLimits().has(url)).toBe(false);
  });
});

async function collectTags(registry: HttpRegistry): Promise<string[]> {
  const tags: string[] = [];
  for await (const tag of registry.listTags('r')) tags.push(tag);
  return tags;
}
