/**
 * Command-line arguments of `npm run copy` (scripts/copy.ts). Pure.
 */

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

const VALUE_FLAGS = new Set(['--platform', '--config', '--user']);

/** Parses `argv` (without node and the script). Throws {@link CopyUsageError} naming the problem. */
export function parseCopyArgs(argv: readonly string[]): CopyCliArgs | 'help' {
  const positional: string[] = [];
  const platforms: string[] = [];
  let referrers = true;
  let json = false;
  let config: string | undefined;
  let user: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === '--help' || raw === '-h') return 'help';
    const eq = raw.indexOf('=');
    const name = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 && raw.startsWith('--') ? raw.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new CopyUsageError(`${name} needs a value`);
      if (name === '--platform') platforms.push(value);
      else if (name === '--config') config = value;
      else user = value;
    } else if (raw === '--no-referrers') {
      referrers = false;
    } else if (raw === '--json') {
      json = true;
    } else if (raw.startsWith('-')) {
      throw new CopyUsageError(`unknown option ${JSON.stringify(raw)}`);
    } else {
      positional.push(raw);
    }
  }
  if (positional.length !== 2) throw new CopyUsageError(`expected FROM and TO, got ${positional.length} argument${positional.length === 1 ? '' : 's'}`);
  const [from, to] = positional as [string, string];
  return { from, to, referrers, platforms, json, ...(config !== undefined ? { config } : {}), ...(user !== undefined ? { user } : {}) };
}
