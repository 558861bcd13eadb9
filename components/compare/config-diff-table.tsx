/**
 * The config differences of a compare: one row per differing value (environment variables, labels and
 * exposed ports by name; entrypoint, command, user, working directory and creation time as a whole).
 */
import type { ConfigDiff } from '@/lib/compare/config-diff';
import { configRows } from './config-rows';

function Cell({ value }: { value: string | null }) {
  return <td className="py-1 pr-3 align-top font-mono text-xs break-all">{value === null ? <span className="text-zinc-400 dark:text-zinc-500">—</span> : value}</td>;
}

export function ConfigDiffTable({ config }: { config: ConfigDiff }) {
  const rows = configRows(config);
  if (rows.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">The two configs do not differ in these fields.</p>;
  return (
    <table className="w-full text-sm" data-testid="config-diff">
      <thead>
        <tr className="text-left text-xs text-zinc-500 dark:text-zinc-400">
          <th className="py-1 pr-3 font-medium">Field</th>
          <th className="py-1 pr-3 font-medium">From</th>
          <th className="py-1 font-medium">To</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.field} className="border-t border-zinc-200 dark:border-zinc-800" data-testid="config-diff-row">
            <td className="py-1 pr-3 align-top font-mono text-xs whitespace-nowrap">{row.field}</td>
            <Cell value={row.from} />
            <Cell value={row.to} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
