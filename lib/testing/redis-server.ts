/**
 * Starts Debian's `redis-server` for tests: on 127.0.0.1 with a free port, its working directory in a temp dir,
 * no persistence (no RDB snapshots, no AOF) and no password. `halt()`/`start()` stop and restart it on the same
 * port (an outage in the middle of a test); `stop()` ends it and removes the dir. Every server started here is
 * SIGKILLed when the test process exits, so a failing test leaks nothing; tests still call `stop()`.
 *
 * No `server-only` import: Playwright specs start it too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, trackChild, trackTempDir, waitForExit } from '../registry/testing/exec';

export const REDIS_BINARY = '/usr/bin/redis-server';

export interface RunningRedis {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Kills the server (SIGKILL, like a crash); the port stays reserved for `start()`. */
  halt(): Promise<void>;
  /** Starts it again on the same port, empty; resolves when it accepts connections. */
  start(): Promise<void>;
  /** Kills the server and removes its dir. Idempotent. */
  stop(): Promise<void>;
}

/** Resolves once the server printed that it accepts connections; rejects when it exits first or is slow. */
function ready(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        // Keep draining so a full pipe never blocks the server.
        child.stdout?.resume();
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}

/** Starts a fresh `redis-server`. */
export async function startRedis(timeoutMs = 30_000): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-redis-'));
  const forget = trackTempDir(dir);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice'];
    const started = spawn(REDIS_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(started);
    started.stderr.resume();
    child = started;
    await ready(started, timeoutMs);
  };
  const halt = async () => {
    const running = child;
    child = undefined;
    if (!running) return;
    running.kill('SIGKILL');
    await waitForExit(running);
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await halt();
    await rm(dir, { recursive: true, force: true });
    forget();
  };
  try {
    await start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, port, halt, start, stop };
}
