import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '@/lib/cleanup/cli-args';
import { cronCommand } from './cron-command';

/** The arguments after `--`, split as a shell would for these simple commands. */
function argsOf(command: string): string[] {
  const after = command.slice(command.indexOf(' -- ') + 4);
  return [...after.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll(`'\\''`, "'") : m[2]!));
}

describe('the cron command of the Cleanup page', () => {
  it('applies the policy: the CLI it starts deletes', () => {
    const args = parseCliArgs(argsOf(cronCommand('registry')));
    expect(args).toMatchObject({ source: 'registry', policy: 'policy.json', execute: true });
  });

  it('quotes a source name the shell would split', () => {
    expect(cronCommand("prod eu's")).toContain(`--source 'prod eu'\\''s'`);
    expect(parseCliArgs(argsOf(cronCommand("prod eu's")))).toMatchObject({ source: "prod eu's", execute: true });
  });
});
