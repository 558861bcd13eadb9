/**
 * Porthole as users run it: a production build (`next build`, redone only when a source file is newer than
 * `.next/BUILD_ID`) served by `next start` on a free loopback port, configured by a temporary YAML file with
 * one http source. Each `startApp` is a fresh server process with empty caches (the cold view), on a data
 * directory of its own unless `dataDir` names one (a server started again on the same one: the restart view).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '@/lib/registry/testing/exec';
import { serverNodeOptions } from '../scripts/start.mjs';
import { largest, treeMemory, type ProcessMemory } from './memory';

export const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const NEXT_BIN = join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const SOURCE_DIRS = ['app', 'components', 'lib', 'public'];
const SOURCE_FILES = ['next.config.js', 'package-lock.json', 'postcss.config.mjs', 'tsconfig.json'];

function newestSourceTime(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (!/\.test\.tsx?$/.test(path)) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(ROOT, dir))) visit(join(ROOT, dir));
  for (const file of SOURCE_FILES) if (existsSync(join(ROOT, file))) newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  return newest;
}

/** Why a build is needed, or null when `.next` is current. */
export function buildNeeded(): string | null {
  const buildId = join(ROOT, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return 'no production build (.next/BUILD_ID is missing)';
  if (newestSourceTime() > statSync(buildId).mtimeMs) return 'sources changed since the last build';
  return null;
}

/** Runs `next build`, its output to `logFile`. Rejects with the log's tail on failure. */
export async function buildApp(logFile: string): Promise<number> {
  const started = performance.now();
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  log.end();
  if (code !== 0) throw new Error(`next build failed (exit ${code}); see ${logFile}`);
  return performance.now() - started;
}

export interface RunningApp {
  url: string;
  pid: number;
  /** Memory of the server's process tree (the `next start` CLI and its server child). */
  memory(): ProcessMemory[];
  /** The server process (largest peak) of the tree. */
  serverMemory(): ProcessMemory | undefined;
  stop(): Promise<void>;
}

export interface AppOptions {
  /** The registry URL the source points at (the delay proxy). */
  registryUrl: string;
  sourceName: string;
  /** The source's `concurrency`: `auto` or a fixed number. */
  concurrency: number | 'auto';
  /** Where the app's output goes. */
  logFile: string;
  /** `PORTHOLE_DATA_DIR` (its disk cache is kept when the app stops); default: a new one, removed on stop. */
  dataDir?: string;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`next start not ready after 60 s; see ${logFile}`);
}

/** Starts a fresh `next start` process with a one-source configuration. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-bench-app-'));
  const configPath = join(dir, 'porthole.yaml');
  await writeFile(
    configPath,
    stringify({
      sources: [{ name: options.sourceName, kind: 'http', url: options.registryUrl, concurrency: options.concurrency }],
      auditLog: join(dir, 'audit.jsonl'),
    }),
  );
  const port = await freePort();
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      // The heap cap `npm start` gives the server (scripts/start.mjs).
      NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS),
      PORTHOLE_CONFIG: configPath,
      PORTHOLE_DATA_DIR: options.dataDir ?? join(dir, 'data'),
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() ends the CLI and the server child together.
    detached: true,
  });
  running.add(child);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid!;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      // As long as `docker stop` waits: the server writes its held cache entries on the way out.
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    log.end();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, options.logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    pid,
    memory: () => treeMemory(pid),
    serverMemory: () => largest(treeMemory(pid)),
    stop,
  };
}
