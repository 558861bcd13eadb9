/**
 * What every Porthole command (`npm run cleanup`, `npm run copy`) does before its own work: parse the
 * arguments (usage errors exit 2 with the usage, `--help` prints it and exits 0), point PORTHOLE_CONFIG at
 * `--config` relative to the working directory, and name the user the audit log records.
 */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';

/** The streams and environment a command runs with (tests pass their own). */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Parses `argv` with `parse`; returns the arguments, or the exit code when the command is done already (help
 * printed: 0; usage error printed with the usage: 2).
 */
export function startCommand<A extends { config?: string }>(argv: readonly string[], io: CommandIo, parse: (argv: readonly string[]) => A | 'help', usage: string): A | number {
  let args: A | 'help';
  try {
    args = parse(argv);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (args === 'help') {
    io.stdout(`${usage}\n`);
    return 0;
  }
  if (args.config) io.env.PORTHOLE_CONFIG = resolve(io.cwd, args.config);
  return args;
}

/** The audit log's user for a command run without `--user`: `cli:<login name>`, else `cli`. */
export function defaultCliUser(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
