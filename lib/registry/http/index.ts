/**
 * The HTTP backend: a distribution-spec client over undici, for real registries (distribution, zot, Harbor,
 * GHCR, ECR, GAR, Docker Hub…). How it talks to registries, and which quirks it handles, is described in
 * docs/registries.md.
 *
 * Two groups of files. `transport/` is the HTTP transport stack, knowing nothing of manifests or tags (the way
 * cue-labs/oci keeps `ociauth` apart from `ociclient`); layers, outermost first (transport/client.ts):
 * - auth.ts: anonymous, Basic, Bearer tokens per scope from the `WWW-Authenticate` realm (challenge.ts; cached,
 *   one retry; realms on private addresses refused, address.ts / private-targets.ts);
 * - retry.ts: back-off with jitter on 429/502/503/504 and connection resets, honouring Retry-After;
 * - redirects: followed by hand, `Authorization` dropped once a redirect leaves the registry's origin;
 * - transport.ts: one keep-alive undici Agent per registry, a concurrency limit (slots.ts: a fixed
 *   lib/registry/limiter.ts, or adaptive-limit.ts + concurrency-law.ts for `concurrency: 'auto'`), timeouts;
 * - body.ts, errors.ts, warnings.ts: capped body reads, registry errors, `Warning` headers.
 * The verb files sit here, on top: reader.ts, lister.ts (+ paging.ts, referrers.ts), writer.ts (+ fallback.ts),
 * deleter.ts (+ placeholder.ts), capabilities.ts. This file is the backend's public entry.
 *
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md
 */
import 'server-only';
import { readFileSync } from 'node:fs';
import { Agent, type Dispatcher } from 'undici';
import type { Registry } from '@/lib/registry/registry';
import { capabilities } from './capabilities';
import { RegistryClient } from './transport/client';
import { createContext } from './context';
import { createDeleter } from './deleter';
import { Limiter } from '@/lib/registry/limiter';
import { closeAdaptiveLimit, openAdaptiveLimit } from './transport/adaptive-limit';
import { fixedSlots } from './transport/slots';
import { ping, type PingResult } from './ping';
import { createLister } from './lister';
import { resolveOptions, type HttpRegistryOptions } from './options';
import { createReader } from './reader';
import { Transport } from './transport/transport';
import { WarningLog } from './transport/warnings';
import { createWriter } from './writer';

export type { PingResult } from './ping';
export type { BasicCredentials, Credentials, HttpRegistryOptions, RetryOptions, TokenCredentials } from './options';

/** A Registry over HTTP, plus what only a remote registry has. */
export interface HttpRegistry extends Registry {
  /** The registry's base URL, without credentials. */
  readonly url: string;
  /** Distinct `Warning` texts the registry sent (and Porthole's own upkeep warnings), oldest first. */
  readonly warnings: readonly string[];
  /** `GET /v2/` with the configured credentials: reachable, auth accepted, latency (./ping.ts). Never throws. */
  ping(signal?: AbortSignal): Promise<PingResult>;
}

function createAgent(options: HttpRegistryOptions, headersTimeout: number, bodyTimeout: number): Agent {
  const connect: { ca?: string; rejectUnauthorized?: boolean } = {};
  if (options.caFile) {
    try {
      connect.ca = readFileSync(options.caFile, 'utf8');
    } catch {
      // The path is configuration, not a secret, but stays out of the message all the same.
      throw new TypeError('caFile cannot be read');
    }
  }
  if (options.insecure) connect.rejectUnauthorized = false;
  return new Agent({ connect, headersTimeout, bodyTimeout, keepAliveTimeout: 30_000, connections: null });
}

/**
 * Creates the HTTP backend for one registry. Cheap: nothing is sent until the first call; capabilities are
 * probed lazily. `close()` releases the connection pool (an injected dispatcher is left open).
 */
export function createHttpRegistry(options: HttpRegistryOptions): HttpRegistry {
  const resolved = resolveOptions(options);
  const ownsDispatcher = !options.dispatcher;
  const dispatcher: Dispatcher = options.dispatcher ?? createAgent(options, resolved.headersTimeoutMs, resolved.bodyTimeoutMs);
  // `auto`: the registry's one adaptive limit, shared with every other registry object on its origin.
  const adaptive = resolved.adaptive ? openAdaptiveLimit(resolved.baseUrl.origin, resolved.concurrency) : undefined;
  const transport = new Transport(dispatcher, adaptive ?? fixedSlots(new Limiter(resolved.concurrency)), {
    headersTimeoutMs: resolved.headersTimeoutMs,
    bodyTimeoutMs: resolved.bodyTimeoutMs,
    totalTimeoutMs: resolved.totalTimeoutMs,
  });
  const warnings = new WarningLog(resolved.onWarning);
  const client = new RegistryClient(resolved, transport, warnings);
  const ctx = createContext(client, resolved, warnings);
  let closed: Promise<void> | undefined;

  const registry: HttpRegistry = {
    url: resolved.baseUrl.href,
    get warnings() {
      return warnings.list();
    },
    ...createReader(ctx),
    ...createLister(ctx),
    ...createWriter(ctx),
    ...createDeleter(ctx),
    capabilities: (repo, callOptions) => capabilities(ctx, repo, callOptions),
    ping: (signal) => ping(ctx, signal),
    close() {
      closed ??= (async () => {
        client.auth.clear();
        if (adaptive) closeAdaptiveLimit(adaptive);
        if (ownsDispatcher) await dispatcher.close();
      })();
      return closed;
    },
  };
  return registry;
}
