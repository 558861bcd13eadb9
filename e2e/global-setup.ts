/**
 * Starts the e2e stack (e2e/support/stack.ts) in its own process and hands its state to the workers through
 * an environment variable. The returned function is Playwright's global teardown: it stops the stack, which
 * stops Porthole and the registries and removes the temp dir.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { STATE_ENV } from './support/state';

const ROOT = resolve(import.meta.dirname, '..');
const READY_TIMEOUT_MS = 150_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'e2e/support/stack.ts'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env },
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const state = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`e2e stack not ready after ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        done(line.slice('READY '.length));
      } else {
        process.stdout.write(`[stack] ${line}\n`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`e2e stack exited with ${code} before it was ready`));
    });
  });
  process.env[STATE_ENV] = state;

  return async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
}
