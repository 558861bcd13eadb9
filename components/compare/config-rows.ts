/** The config differences of a compare as table rows, in the order the page shows them. Pure. */
import type { ConfigDiff, MapDiff } from '@/lib/compare/config-diff';

export interface ConfigRow {
  field: string;
  from: string | null;
  to: string | null;
}

function show(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function mapRows(field: string, diff: MapDiff, valued = true): ConfigRow[] {
  const rows: ConfigRow[] = [];
  for (const [key, value] of Object.entries(diff.removed)) rows.push({ field: `${field} ${key}`, from: valued ? value : 'present', to: null });
  for (const [key, change] of Object.entries(diff.changed)) rows.push({ field: `${field} ${key}`, from: change.from, to: change.to });
  for (const [key, value] of Object.entries(diff.added)) rows.push({ field: `${field} ${key}`, from: null, to: valued ? value : 'present' });
  return rows;
}

/** The rows of a config diff, in the order the page shows them. */
export function configRows(config: ConfigDiff): ConfigRow[] {
  const values: [string, keyof ConfigDiff][] = [['Entrypoint', 'entrypoint'], ['Cmd', 'cmd'], ['User', 'user'], ['WorkingDir', 'workingDir'], ['Created', 'created']];
  const rows: ConfigRow[] = [];
  for (const [label, key] of values) {
    const change = config[key] as { from: unknown; to: unknown } | undefined;
    if (change) rows.push({ field: label, from: show(change.from), to: show(change.to) });
  }
  return [...rows, ...mapRows('Env', config.env), ...mapRows('ExposedPorts', config.exposedPorts, false), ...mapRows('Label', config.labels)];
}
