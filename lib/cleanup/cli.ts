/**
 * The cleanup command line (scripts/cleanup.ts), for cron jobs: plans a policy on a configured source,
 * prints the plan as a table and, with `--execute`, applies it, printing each deletion as it happens and
 * the results. Returns the exit code (0 done, 1 repository or deletion failure, 2 bad input).
 */
import 'server-only';
import { defaultCliUser, startCommand, type CommandIo } from '@/lib/cli/command';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { RegistryError } from '@/lib/oci/errors';
import { ConfigError } from '@/lib/server/config';
import { resetSources } from '@/lib/server/sources';
import { parseCliArgs, UsageError, USAGE } from './cli-args';
import { isRfc3339, parsePolicyText } from './policy-schema';
import { executeSourceCleanup, planSourceCleanup } from './service';
import { formatPlan, formatResult } from './table';
import type { CleanupEvent } from './types';

export type CliIo = CommandIo;

/** Runs the command; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = startCommand(argv, io, parseCliArgs, USAGE);
  if (typeof args === 'number') return args;

  let text: string;
  try {
    text = await readFile(resolve(io.cwd, args.policy), 'utf8');
  } catch {
    io.stderr(`cannot read the policy file ${args.policy}\n`);
    return 2;
  }
  const parsed = parsePolicyText(text);
  if (!parsed.ok) {
    io.stderr(`invalid policy ${args.policy}:\n${parsed.errors.map((e) => `  ${e.field || '(document)'}: ${e.message}`).join('\n')}\n`);
    return 2;
  }
  if (args.now && !isRfc3339(args.now)) {
    io.stderr('--now must be an RFC 3339 date-time such as 2026-03-01T00:00:00Z\n');
    return 2;
  }
  const policy = { ...parsed.policy, dryRun: !args.execute, ...(args.now ? { now: args.now } : {}) };

  try {
    if (!args.execute) {
      const plan = await planSourceCleanup(args.source, policy);
      io.stdout(args.json ? `${JSON.stringify(plan, null, 2)}\n` : `${formatPlan(plan)}\n\nDry run: nothing was deleted. Add --execute to apply this plan.\n`);
      return plan.errors.length > 0 ? 1 : 0;
    }
    const onEvent = (event: CleanupEvent) => {
      if (args.json) return;
      if (event.type === 'plan') io.stdout(`${formatPlan(event.plan)}\n\nExecuting…\n`);
      if (event.type === 'item') {
        const { item } = event;
        const detail = item.status === 'deleted' ? item.method : item.reason;
        io.stdout(`[${event.index + 1}/${event.total}] ${item.status} ${item.repository}:${item.tag}${detail ? ` (${detail})` : ''}\n`);
      }
    };
    const result = await executeSourceCleanup(args.source, { policy }, args.user ?? defaultCliUser(), { onEvent });
    io.stdout(args.json ? `${JSON.stringify(result, null, 2)}\n` : `\n${formatResult(result)}\n`);
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    if (error instanceof RegistryError) {
      io.stderr(`${error.code}: ${error.message}\n`);
      return error.code === 'NAME_UNKNOWN' || error.code === 'DENIED' ? 2 : 1;
    }
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    io.stderr(`cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await resetSources();
  }
}
