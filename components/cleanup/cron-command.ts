/**
 * The command the Cleanup page offers for cron: the same policy, applied (`--execute`), from the command
 * line (docs/cleanup.md, "The command line"). Without `--execute` the CLI only plans, so a cron job built
 * from a command without it would never delete anything.
 */

/** Quotes a word for a POSIX shell when it holds anything beyond the characters safe unquoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9._/:=@-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `npm run --silent cleanup -- --source NAME --policy policy.json --execute` for a source. */
export function cronCommand(source: string): string {
  return `npm run --silent cleanup -- --source ${shellWord(source)} --policy policy.json --execute`;
}
