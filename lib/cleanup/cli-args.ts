/**
 * Command-line arguments of `npm run cleanup` (scripts/cleanup.ts). Pure.
 */

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

const VALUE_FLAGS = new Set(['--config', '--source', '--policy', '--now', '--user']);
const BOOLEAN_FLAGS = new Set(['--execute', '--json']);

/** Parses `argv` (without node and the script). Throws {@link UsageError} naming the problem. */
export function parseCliArgs(argv: readonly string[]): CliArgs | 'help' {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === '--help' || raw === '-h') return 'help';
    const eq = raw.indexOf('=');
    const name = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 && raw.startsWith('--') ? raw.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      values.set(name, value);
    } else if (BOOLEAN_FLAGS.has(raw)) {
      flags.add(raw);
    } else {
      throw new UsageError(`unknown argument ${JSON.stringify(raw)}`);
    }
  }
  const source = values.get('--source');
  const policy = values.get('--policy');
  if (!source) throw new UsageError('--source is required');
  if (!policy) throw new UsageError('--policy is required');
  const args: CliArgs = { source, policy, execute: flags.has('--execute'), json: flags.has('--json') };
  const config = values.get('--config');
  if (config) args.config = config;
  const now = values.get('--now');
  if (now) args.now = now;
  const user = values.get('--user');
  if (user) args.user = user;
  return args;
}
