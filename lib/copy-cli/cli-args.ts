/**
 * Command-line arguments of `npm run copy` (scripts/copy.ts), read with lib/cli/read-flags.ts. Pure.
 */
import { lastValue, readFlags } from '@/lib/cli/read-flags';

export interface CopyCliArgs {
  from: string;
  to: string;
  /** Copy referrers (signatures, SBOMs, attestations) too; `--no-referrers` turns it off. */
  referrers: boolean;
  /** `--platform` values, in order (empty: every platform). */
  platforms: string[];
  config?: string;
  /** One JSON line per event even on a terminal. */
  json: boolean;
  /** Recorded in the audit log (default `cli:<login name>`). */
  user?: string;
}

export const COPY_USAGE = `Usage: npm run copy -- FROM TO [--no-referrers] [--platform os/arch[/variant]]… [--config porthole.config.yaml] [--json] [--user NAME]

Copies FROM (SOURCE/REPO:TAG, SOURCE/REPO@DIGEST or SOURCE/REPO:TAG@DIGEST; SOURCE may be a registry host) to
TO (SOURCE/REPO[:TAG]; without a tag the copy is by digest only) with every blob, child manifest and referrer.
The destination source needs write: true. Shows a progress bar on a terminal, otherwise one JSON line per event
and a final result line. Exit codes: 0 copied, 1 the copy failed, 2 bad arguments, configuration or references.`;

export class CopyUsageError extends Error {
  override readonly name = 'CopyUsageError';
}

/** Parses `argv` (without node and the script). Throws {@link CopyUsageError} naming the problem. */
export function parseCopyArgs(argv: readonly string[]): CopyCliArgs | 'help' {
  const flags = readFlags(
    argv,
    { values: ['--platform', '--config', '--user'], booleans: ['--no-referrers', '--json'], operands: true },
    (m) => new CopyUsageError(m),
  );
  if (flags === 'help') return 'help';
  const positional = flags.operands;
  if (positional.length !== 2) throw new CopyUsageError(`expected FROM and TO, got ${positional.length} argument${positional.length === 1 ? '' : 's'}`);
  const [from, to] = positional as [string, string];
  const config = lastValue(flags, '--config');
  const user = lastValue(flags, '--user');
  return {
    from,
    to,
    referrers: !flags.booleans.has('--no-referrers'),
    platforms: [...(flags.values.get('--platform') ?? [])],
    json: flags.booleans.has('--json'),
    ...(config !== undefined ? { config } : {}),
    ...(user !== undefined ? { user } : {}),
  };
}
