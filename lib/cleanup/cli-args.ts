/**
 * Command-line arguments of `npm run cleanup` (scripts/cleanup.ts), read with lib/cli/read-flags.ts. Pure.
 */
import { lastValue, readFlags } from '@/lib/cli/read-flags';

export interface CliArgs {
  config?: string;
  source: string;
  policy: string;
  /** Delete for real; without it the CLI only plans, whatever the policy's `dryRun` says. */
  execute: boolean;
  /** Overrides the policy's `now` (RFC 3339). */
  now?: string;
  /** Print JSON (the API's plan/result shapes) instead of tables. */
  json: boolean;
  /** Recorded in the audit log (default `cli:<login name>`). */
  user?: string;
}

export const USAGE = `Usage: npm run cleanup -- --source NAME --policy policy.json [--config porthole.config.yaml] [--execute] [--now RFC3339] [--json] [--user NAME]

Plans a cleanup policy on a configured source and prints the plan as a table. Nothing is deleted without
--execute (the policy's "dryRun" is ignored here: the flag decides). Exit codes: 0 done, 1 a repository could
not be planned or a deletion failed, 2 bad arguments, configuration or policy.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses `argv` (without node and the script). Throws {@link UsageError} naming the problem. */
export function parseCliArgs(argv: readonly string[]): CliArgs | 'help' {
  const flags = readFlags(argv, { values: ['--config', '--source', '--policy', '--now', '--user'], booleans: ['--execute', '--json'] }, (m) => new UsageError(m));
  if (flags === 'help') return 'help';
  const source = lastValue(flags, '--source');
  const policy = lastValue(flags, '--policy');
  if (!source) throw new UsageError('--source is required');
  if (!policy) throw new UsageError('--policy is required');
  const args: CliArgs = { source, policy, execute: flags.booleans.has('--execute'), json: flags.booleans.has('--json') };
  const config = lastValue(flags, '--config');
  if (config) args.config = config;
  const now = lastValue(flags, '--now');
  if (now) args.now = now;
  const user = lastValue(flags, '--user');
  if (user) args.user = user;
  return args;
}
