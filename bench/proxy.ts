/**
 * The "network" of the benchmark: an HTTP proxy on 127.0.0.1 in front of the loopback registry that waits a
 * fixed delay (default 20 ms) before forwarding each request — the round trip to a registry elsewhere — and
 * counts requests by method and kind (`GET manifest`, `GET blob`, `GET tags`…). Counters are reset between
 * measurements; the per-path counts show duplicates (the same manifest or blob fetched twice).
 *
 * Bodies are streamed both ways and headers passed unchanged (the registry's relative `Link` headers stay
 * valid), so clients cannot tell it from the registry except for the delay.
 *
 * Rate-limiting mode (`rateLimit`): like a registry behind a connection limit, a request that arrives while
 * `maxInFlight` forwarded requests are in flight is answered, after the same delay, `429 Too Many Requests`
 * with a distribution-spec `TOOMANYREQUESTS` error body (and `Retry-After` when `retryAfterSeconds` is set),
 * and counted as `rejected`.
 */
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestClass = 'ping' | 'catalog' | 'tags' | 'manifest' | 'blob' | 'upload' | 'referrers' | 'other';

/** The kind of a distribution API path. */
export function classify(path: string): RequestClass {
  const pathname = path.split('?')[0] ?? path;
  if (pathname === '/v2/' || pathname === '/v2') return 'ping';
  if (pathname === '/v2/_catalog') return 'catalog';
  if (/^\/v2\/.+\/tags\/list$/.test(pathname)) return 'tags';
  if (/^\/v2\/.+\/manifests\/[^/]+$/.test(pathname)) return 'manifest';
  if (/^\/v2\/.+\/blobs\/uploads\//.test(pathname)) return 'upload';
  if (/^\/v2\/.+\/blobs\/[^/]+$/.test(pathname)) return 'blob';
  if (/^\/v2\/.+\/referrers\/[^/]+$/.test(pathname)) return 'referrers';
  return 'other';
}

export interface ProxyCounts {
  total: number;
  /** `METHOD class` → count, e.g. `GET manifest`. */
  byClass: Record<string, number>;
  /** Requests beyond the first for the same method + path (a manifest or blob fetched twice). */
  duplicates: number;
  /** Most requests in flight at once (waiting for the delay or for the registry). */
  maxInFlight: number;
  /** Requests answered 429 by the rate-limiting mode. */
  rejected: number;
  /** Most forwarded (not rejected) requests in flight at once. */
  maxForwarded: number;
}

export interface DelayProxy {
  url: string;
  port: number;
  delayMs: number;
  counts(): ProxyCounts;
  /** Paths requested more than once since the last reset, with their counts (for diagnosis). */
  repeated(limit?: number): { key: string; count: number }[];
  reset(): void;
  stop(): Promise<void>;
}

export interface ProxyOptions {
  /** The registry, e.g. `http://127.0.0.1:5000`. */
  upstream: string;
  delayMs?: number;
  /**
   * Rate-limiting mode: 429 for a request arriving while `maxInFlight` forwarded requests are in flight, with
   * `Retry-After: <retryAfterSeconds>` when that is set (no `Retry-After` otherwise).
   */
  rateLimit?: { maxInFlight: number; retryAfterSeconds?: number };
}

const TOO_MANY = JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'too many requests in flight', detail: null }] });

export async function startDelayProxy(options: ProxyOptions): Promise<DelayProxy> {
  const upstream = new URL(options.upstream);
  const delayMs = options.delayMs ?? 20;
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  let byClass = new Map<string, number>();
  let byPath = new Map<string, number>();
  let total = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let forwarded = 0;
  let maxForwarded = 0;
  let rejected = 0;
  const rateLimit = options.rateLimit;

  const reject = (res: ServerResponse) => {
    res.writeHead(429, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(TOO_MANY)),
      ...(rateLimit?.retryAfterSeconds !== undefined ? { 'retry-after': String(rateLimit.retryAfterSeconds) } : {}),
      'docker-distribution-api-version': 'registry/2.0',
    });
    res.end(TOO_MANY);
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstreamReq = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        agent,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('proxy: upstream failed');
    });
    req.pipe(upstreamReq);
  };

  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const key = `${req.method} ${classify(path)}`;
    byClass.set(key, (byClass.get(key) ?? 0) + 1);
    const pathKey = `${req.method} ${path}`;
    byPath.set(pathKey, (byPath.get(pathKey) ?? 0) + 1);
    total++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    // Pause the body until forwarding, so a slow start does not lose it.
    req.pause();
    if (rateLimit && forwarded >= rateLimit.maxInFlight) {
      rejected++;
      req.resume();
      setTimeout(() => reject(res), delayMs);
      return;
    }
    forwarded++;
    maxForwarded = Math.max(maxForwarded, forwarded);
    res.on('close', () => forwarded--);
    setTimeout(() => forward(req, res), delayMs);
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    delayMs,
    counts() {
      let duplicates = 0;
      for (const count of byPath.values()) duplicates += count - 1;
      return { total, byClass: Object.fromEntries([...byClass].sort(([a], [b]) => a.localeCompare(b))), duplicates, maxInFlight, rejected, maxForwarded };
    },
    repeated(max = 20) {
      return [...byPath]
        .filter(([, count]) => count > 1)
        .sort((a, b) => b[1] - a[1])
        .slice(0, max)
        .map(([key, count]) => ({ key, count }));
    },
    reset() {
      byClass = new Map();
      byPath = new Map();
      total = 0;
      maxInFlight = inFlight;
      maxForwarded = forwarded;
      rejected = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
