/**
 * A Porthole production server (scripts/serve.ts, the entry `npm start` uses) with a configuration of the
 * test's own, for specs that need settings the shared stack must not have (hostile sources, publicUrl).
 * Listens on 127.0.0.1 on a free port; its log and audit log are files in its temp dir; `stop()` ends it
 * (process group) and removes the dir.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../lib/registry/testing/exec';
import { serverNodeOptions } from '../../scripts/start.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface PortholeServer {
  url: string;
  port: number;
  /** The server's process id (for CPU and memory readings). */
  pid: number;
  /** The server's stdout and stderr so far. */
  log(): Promise<string>;
  /** The audit log so far ('' when nothing was written). */
  audit(): Promise<string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  timeoutMs?: number;
  /** `PORTHOLE_DATA_DIR` (kept by `stop()`: a second server on it starts warm); default: inside the server's temp dir. */
  dataDir?: string;
  /** More environment variables (a replica's `PORTHOLE_REPLICA_ID`). */
  env?: Record<string, string>;
  /** Extra flags for node (the benchmark's `--cpu-prof`). */
  nodeFlags?: string[];
}

/** Starts the server with `config` (its `auditLog` is set here); resolves when /api/health answers. */
export async function startPorthole(config: Record<string, unknown>, options: StartOptions = {}): Promise<PortholeServer> {
  const { timeoutMs = 90_000, dataDir, env = {}, nodeFlags = [] } = options;
  if (!existsSync(join(ROOT, '.next', 'BUILD_ID'))) throw new Error('no production build: run `npx next build` before the e2e tests');
  const dir = await mkdtemp(join(tmpdir(), 'porthole-server-'));
  const auditPath = join(dir, 'audit.log');
  const configPath = join(dir, 'porthole.config.yaml');
  await writeFile(configPath, stringify({ ...config, auditLog: auditPath }));
  const port = await freePort();
  const logPath = join(dir, 'server.log');
  const logFile = await open(logPath, 'a');
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', join(ROOT, 'scripts', 'serve.ts'), '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      // The heap cap `npm start` gives the server (scripts/start.mjs).
      NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS),
      NODE_ENV: 'production',
      PORTHOLE_CONFIG: configPath,
      PORTHOLE_DATA_DIR: dataDir ?? join(dir, 'data'),
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', logFile.fd, logFile.fd],
    detached: true,
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await logFile.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      const log = await readFile(logPath, 'utf8').catch(() => '');
      await stop();
      throw new Error(`the Porthole server exited with ${child.exitCode}:\n${log}`);
    }
    try {
      const response = await fetch(`${url}/api/health`);
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Porthole server did not answer within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    pid: child.pid!,
    log: () => readFile(logPath, 'utf8'),
    audit: () => readFile(auditPath, 'utf8').catch(() => ''),
    stop,
  };
}
