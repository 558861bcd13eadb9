/**
 * A `/v2` server for tests and the conformance run, on a plain `node:http` server: a `memory` source and a
 * `layout` source that allow writing and deleting, and a `layout` source served read-only and preloaded with
 * one tagged image (the conformance suite's pull workflow needs content it cannot push there).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLayoutRegistry } from '@/lib/registry/layout';
import { createMemoryRegistry } from '@/lib/registry/memory';
import type { Registry } from '@/lib/registry/registry';
import { image, pushBuilt } from '@/lib/registry/testing/build';
import { createRegistryServer, type ServedSource, type ServerEvent, type ServerOptions } from '../index';
import { serveHandler, type RunningHandler } from './node-server';

export interface Preloaded {
  repository: string;
  tag: string;
  manifestDigest: string;
  blobDigest: string;
}

export interface V2Stack extends RunningHandler {
  /** Source names: `mem` (memory, write + delete), `lay` (layout, write + delete), `ro` (layout, read). */
  sources: ServedSource[];
  /** Content of the `ro` source: `ro/<repository>:<tag>`. */
  preloaded: Preloaded;
  events: ServerEvent[];
  dataDir: string;
}

export interface StackOptions {
  /** Extra sources, served as given. */
  extra?: ServedSource[];
  auth?: ServerOptions['auth'];
  maxBlobBytes?: number;
}

function served(name: string, registry: Registry, serve: 'read' | 'write', extra: Partial<ServedSource> = {}): ServedSource {
  return { name, registry, serve, delete: serve === 'write', discoverMounts: true, anonymousRead: false, ...extra };
}

/** Starts the stack; `close()` stops the server and removes its directories. */
export async function startV2Stack(options: StackOptions = {}): Promise<V2Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'porthole-v2-'));
  const layoutRoot = join(dataDir, 'layout');
  const readRoot = join(dataDir, 'read-only');
  const readRegistry = createLayoutRegistry(readRoot, { durable: false });
  const built = image({ config: 'preloaded config', layers: ['preloaded layer'] });
  const manifest = await pushBuilt(readRegistry, 'conformance/preloaded', built, { tag: 'v1' });
  const sources = [
    served('mem', createMemoryRegistry(), 'write'),
    served('lay', createLayoutRegistry(layoutRoot, { durable: false }), 'write'),
    served('ro', readRegistry, 'read'),
    ...(options.extra ?? []),
  ];
  const events: ServerEvent[] = [];
  const server = createRegistryServer({
    sources: async () => sources,
    dataDir,
    onEvent: async (event) => void events.push(event),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.maxBlobBytes ? { maxBlobBytes: options.maxBlobBytes } : {}),
  });
  const running = await serveHandler((request) => server.handle(request));
  return {
    ...running,
    sources,
    events,
    dataDir,
    preloaded: {
      repository: 'conformance/preloaded',
      tag: 'v1',
      manifestDigest: manifest.digest,
      blobDigest: (built.manifest.json.config as { digest: string }).digest,
    },
    async close() {
      await running.close();
      await Promise.all(sources.map((s) => s.registry.close()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
