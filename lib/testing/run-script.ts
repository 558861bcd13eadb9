/**
 * Test helper: runs one of the `scripts/*.ts` command lines as npm runs it
 * (`node --conditions=react-server --import tsx scripts/NAME.ts …`), with stdin closed and stdout a pipe, and
 * collects its exit code and output. `PORTHOLE_CONFIG` is cleared unless `env` sets it.
 */
import { spawn } from 'node:child_process';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` with `args`; `env` is added to this process's environment. */
export function runScript(script: string, args: readonly string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', script, ...args], {
      cwd: process.cwd(),
      env: { ...process.env, PORTHOLE_CONFIG: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
