/**
 * The HTTP backend (lib/registry/http) against Porthole's own `/v2` over a memory source, served from a
 * `node:http` server: the registry contract suite, where the client's OCI 1.1 paths (referrers API, native tag
 * delete, tag paging with `n`/`last`) meet a real server. Repository names get the source as a prefix.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createHttpRegistry } from '@/lib/registry/http';
import { createMemoryRegistry } from '@/lib/registry/memory';
import { runRegistryContract } from '@/lib/registry/testing/contract';
import { createRegistryServer, type ServedSource } from './index';
import { serveHandler, type RunningHandler } from './testing/node-server';
import { prefixed } from './testing/prefixed';

const source: ServedSource = { name: 'contract', registry: createMemoryRegistry(), serve: 'write', delete: true, discoverMounts: true, anonymousRead: false };
let running: RunningHandler;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'porthole-v2-contract-'));
  const server = createRegistryServer({ sources: async () => [source], dataDir });
  running = await serveHandler((request) => server.handle(request));
});

afterAll(async () => {
  await running.close();
  await rm(dataDir, { recursive: true, force: true });
});

runRegistryContract('http → Porthole /v2 over a memory source', async () => {
  // An empty registry per test: the served source gets a fresh memory backend.
  source.registry = createMemoryRegistry();
  const client = createHttpRegistry({ url: running.url, retries: { max: 1, baseDelayMs: 10 } });
  // HEAD answers carry no body, so a HEAD in an unknown repository reads as the item's own 404 code.
  return { registry: prefixed(client, source.name), cleanup: () => client.close(), supports: { nameUnknown: false } };
});
