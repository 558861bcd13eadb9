/**
 * A test proxy in front of a registry that holds chosen requests until the test opens the gate: to keep a
 * cleanup running (its writes held) while a second one is tried, without relying on timing. Everything else is
 * forwarded at once, bodies streamed, headers unchanged. Counts requests by `METHOD kind`.
 *
 * No `server-only` import: Playwright specs use it.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GateProxy {
  url: string;
  /** Requests held so far (waiting or released). */
  held(): number;
  /** Resolves once `count` requests have been held. */
  waitForHeld(count?: number): Promise<void>;
  /** Lets every held request through, and those that come later. */
  open(): void;
  /** `METHOD kind` → count (`GET tags`, `GET manifest-by-tag`, `GET manifest` by digest, `GET blob`…). */
  counts(): Record<string, number>;
  stop(): Promise<void>;
}

export interface GateOptions {
  upstream: string;
  /** Which requests wait for {@link GateProxy.open} (default: none). */
  hold?: (method: string, path: string) => boolean;
}

function kind(path: string): string {
  const pathname = path.split('?')[0] ?? path;
  if (/\/tags\/list$/.test(pathname)) return 'tags';
  if (/\/manifests\/[a-z0-9]+:[^/]+$/.test(pathname)) return 'manifest';
  if (/\/manifests\/[^/]+$/.test(pathname)) return 'manifest-by-tag';
  if (/\/blobs\/uploads\//.test(pathname)) return 'upload';
  if (/\/blobs\/[^/]+$/.test(pathname)) return 'blob';
  return 'other';
}

export async function startGateProxy(options: GateOptions): Promise<GateProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  const counts = new Map<string, number>();
  const waiting: (() => void)[] = [];
  const watchers: { count: number; done: () => void }[] = [];
  let opened = false;
  let held = 0;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const key = `${method} ${kind(path)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (opened || !options.hold?.(method, path)) return forward(req, res);
    held += 1;
    for (const watcher of watchers.filter((w) => held >= w.count)) watcher.done();
    // Paused until the gate opens; the body stays in the socket meanwhile.
    req.pause();
    waiting.push(() => forward(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const open = () => {
    opened = true;
    for (const release of waiting.splice(0)) release();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    held: () => held,
    waitForHeld: (count = 1) => (held >= count ? Promise.resolve() : new Promise((done) => watchers.push({ count, done }))),
    open,
    counts: () => Object.fromEntries(counts),
    async stop() {
      open();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
