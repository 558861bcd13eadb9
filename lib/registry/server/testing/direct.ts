/**
 * A `/v2` server called directly (no sockets) for unit tests: a memory source `mem` (write + delete), a
 * layout source `lay` (write + delete) and a memory source `ro` (read), a temp data dir, recorded events and
 * a `call` helper that builds the `Request`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLayoutRegistry } from '@/lib/registry/layout';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { createRegistryServer, type RegistryServer, type ServedSource, type ServerEvent, type ServerOptions } from '../index';

export interface DirectServer {
  server: RegistryServer;
  sources: Record<'mem' | 'lay' | 'ro', ServedSource>;
  events: ServerEvent[];
  dataDir: string;
  /** Sends `method path` with optional body and headers to the server. */
  call(method: string, path: string, init?: { body?: string | Uint8Array | null; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

function served(name: string, registry: Registry, serve: 'read' | 'write'): ServedSource {
  return { name, registry, serve, delete: serve === 'write', discoverMounts: true, anonymousRead: false };
}

export async function directServer(options: Partial<Omit<ServerOptions, 'sources' | 'dataDir'>> = {}): Promise<DirectServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'porthole-v2-unit-'));
  const sources = {
    mem: served('mem', createMemoryRegistry(), 'write'),
    lay: served('lay', createLayoutRegistry(join(dataDir, 'layout'), { durable: false }), 'write'),
    ro: served('ro', createMemoryRegistry(), 'read'),
  };
  const events: ServerEvent[] = [];
  const server = createRegistryServer({
    sources: async () => Object.values(sources),
    dataDir,
    onEvent: async (event) => void events.push(event),
    ...options,
  });
  return {
    server,
    sources,
    events,
    dataDir,
    call(method, path, init = {}) {
      const body = init.body ?? null;
      const request = new Request(`http://registry.test${path}`, {
        method,
        headers: init.headers ?? {},
        ...(body !== null ? { body: body as BodyInit, duplex: 'half' } : {}),
      } as RequestInit);
      return server.handle(request);
    },
    async close() {
      await Promise.all(Object.values(sources).map((s) => s.registry.close()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
