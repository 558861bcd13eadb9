/**
 * The e2e stack, run as its own process by e2e/global-setup.ts:
 *   node --conditions=react-server --import tsx e2e/support/stack.ts
 * (a separate process because lib/demo and lib/server are `server-only` modules, which need the
 * react-server condition, and so that everything it starts dies with it).
 *
 * It generates the demo layout into a temp dir, starts five real docker-registry instances (one with deletion
 * disabled, one without a catalog, one empty behind Basic auth as a copy destination) and seeds them, writes a
 * Porthole configuration (sources `demo`, `registry`, `readonly`, `offline`, `nodel`, `nocatalog`, `copies`), starts `next start`
 * on a free port and prints one line `READY <json StackState>`. SIGTERM stops everything and removes the
 * temp dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ensureDemoLayout } from '@/lib/demo/ensure';
import { freePort, trackChild } from '@/lib/registry/testing/exec';
import { startRegistry, type RunningRegistry } from '@/lib/registry/testing/registry-server';
import { serverNodeOptions } from '../../scripts/start.mjs';
import { seedMain, seedNodel, seedOffline } from './seed';
import { seedFiles } from './seed-files';
import type { StackState } from './state';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** The production server entry (`npm start` runs it too): Next.js behind the request guard. */
const SERVE = join(ROOT, 'scripts', 'serve.ts');

/** The `nocatalog` source's user: may do everything in every repository, and is refused the catalog. */
const NOCAT_USER = { username: 'reader', password: 'reader-secret-e2e' };

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function startNext(workDir: string, configPath: string): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(join(ROOT, '.next', 'BUILD_ID'))) throw new Error('no production build: run `npx next build` before the e2e tests');
  const port = await freePort();
  const log = await open(join(workDir, 'next.log'), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: ROOT,
    // The heap cap `npm start` gives the server (scripts/start.mjs).
    env: { ...process.env, NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS), NODE_ENV: 'production', PORTHOLE_CONFIG: configPath, PORTHOLE_DATA_DIR: join(workDir, 'data'), NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', log.fd, log.fd],
    // Its own process group, so that everything the server starts goes with it.
    detached: true,
  });
  trackChild(child);
  process.on('exit', () => killGroup(child, 'SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/api/health`, child, 60_000);
  return { child, url };
}

function control(offline: RunningRegistry): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const action = req.method === 'POST' ? req.url : undefined;
    const work = action === '/offline/halt' ? offline.halt() : action === '/offline/start' ? offline.start() : undefined;
    if (!work) {
      res.writeHead(404).end();
      return;
    }
    work.then(
      () => res.writeHead(204).end(),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    done({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  }));
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'porthole-e2e-'));
  const registries: RunningRegistry[] = [];
  let next: ChildProcess | undefined;
  let controlServer: Server | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (next) killGroup(next, 'SIGTERM');
    controlServer?.close();
    await Promise.all(registries.map((r) => r.stop().catch(() => undefined)));
    await rm(workDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  // The parent (playwright) going away closes stdin: stop then too.
  process.stdin.on('end', () => void stop(0));
  process.stdin.resume();

  const started = Date.now();
  const log = (message: string) => process.stdout.write(`${((Date.now() - started) / 1000).toFixed(1)}s ${message}\n`);
  try {
    const demoDir = join(workDir, 'demo');
    // The demo generates (about 10 s) while the registries start and are seeded.
    const demo = ensureDemoLayout(demoDir);
    demo.catch(() => undefined);
    const [main, offline, nodel, nocat, copies] = await Promise.all([
      startRegistry({ delete: true }),
      startRegistry({ delete: true }),
      startRegistry({ delete: false }),
      // Token auth whose only user gets every repository but no `registry:catalog:*`: `_catalog` answers 401.
      startRegistry({ auth: 'token', token: { users: [{ ...NOCAT_USER, access: [{ type: 'repository', name: '*', actions: ['*'] }] }] } }),
      // Empty: where the copy specs copy to (Basic auth, unlike the open registries they copy from).
      startRegistry({ auth: 'basic' }),
    ]);
    registries.push(main, offline, nodel, nocat, copies);
    const [seeded] = await Promise.all([seedMain(main), seedOffline(offline), seedNodel(nodel), seedNodel(nocat), seedFiles(main)]);
    log('registries seeded');
    await demo;
    log('demo layout generated');

    const configPath = join(workDir, 'porthole.config.yaml');
    await writeFile(
      configPath,
      stringify({
        auditLog: join(workDir, 'audit.log'),
        sources: [
          { name: 'demo', kind: 'layout', path: demoDir, delete: true, serve: 'read' },
          { name: 'registry', kind: 'http', url: main.url, delete: true, write: true, serve: 'write' },
          // Keeps its catalog for the whole run: only a refresh lists what was pushed behind Porthole's back.
          { name: 'readonly', kind: 'http', url: main.url, delete: false, catalogCacheSeconds: 3600 },
          // Keeps no catalog: a stopped registry is an error on the catalog page (nothing older to show).
          { name: 'offline', kind: 'http', url: offline.url, delete: false, catalogCacheSeconds: 0 },
          // The configuration allows deleting; the registry (storage.delete.enabled unset) does not.
          { name: 'nodel', kind: 'http', url: nodel.url, delete: true },
          // A registry without a catalog (like Docker Hub): repositories are opened by name.
          { name: 'nocatalog', kind: 'http', url: nocat.url, ...NOCAT_USER, repositories: ['kept/app'] },
          // A second writable destination, in its own registry, for "Copy to…".
          { name: 'copies', kind: 'http', url: copies.url, ...copies.credentials!, write: true },
        ],
      }),
    );
    const server = await startNext(workDir, configPath);
    next = server.child;
    log(`porthole listening on ${server.url}`);
    const ctl = await control(offline);
    controlServer = ctl.server;
    const state: StackState = {
      baseURL: server.url,
      registryUrl: main.url,
      offlineUrl: offline.url,
      copies: { url: copies.url, credentials: copies.credentials! },
      controlUrl: ctl.url,
      digests: seeded.digests,
      manyTags: seeded.manyTags,
      workDir,
    };
    process.stdout.write(`READY ${JSON.stringify(state)}\n`);
  } catch (error) {
    process.stderr.write(`e2e stack failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    await stop(1);
  }
}

void main();
