/**
 * The difference of two image configs in the fields people ask about: environment, entrypoint, command,
 * labels, user, working directory, exposed ports, creation time. Pure.
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/config.md
 */
import type { ImageConfig } from '@/lib/oci/types';

/** A keyed set (env by variable name, labels, ports) compared entry by entry. */
export interface MapDiff {
  added: Record<string, string>;
  removed: Record<string, string>;
  changed: Record<string, { from: string; to: string }>;
}

export interface ValueChange<T> {
  from: T | null;
  to: T | null;
}

export interface ConfigDiff {
  env: MapDiff;
  labels: MapDiff;
  exposedPorts: MapDiff;
  entrypoint?: ValueChange<string[]>;
  cmd?: ValueChange<string[]>;
  user?: ValueChange<string>;
  workingDir?: ValueChange<string>;
  created?: ValueChange<string>;
}

function mapDiff(from: Record<string, string>, to: Record<string, string>): MapDiff {
  const diff: MapDiff = { added: {}, removed: {}, changed: {} };
  for (const [key, value] of Object.entries(from)) {
    if (!(key in to)) diff.removed[key] = value;
    else if (to[key] !== value) diff.changed[key] = { from: value, to: to[key]! };
  }
  for (const [key, value] of Object.entries(to)) if (!(key in from)) diff.added[key] = value;
  return diff;
}

/** `NAME=value` lines as a map (the last occurrence of a name wins, as the runtime does). */
function envMap(env: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of env ?? []) {
    const equals = line.indexOf('=');
    if (equals < 0) out[line] = '';
    else out[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return out;
}

function value<T>(from: T | null | undefined, to: T | null | undefined): ValueChange<T> | undefined {
  const a = from ?? null;
  const b = to ?? null;
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : { from: a, to: b };
}

export function diffConfigs(from: ImageConfig, to: ImageConfig): ConfigDiff {
  const a = from.config ?? {};
  const b = to.config ?? {};
  const ports = (p: Record<string, object> | undefined) => Object.fromEntries(Object.keys(p ?? {}).map((k) => [k, '']));
  const diff: ConfigDiff = {
    env: mapDiff(envMap(a.Env), envMap(b.Env)),
    labels: mapDiff(a.Labels ?? {}, b.Labels ?? {}),
    exposedPorts: mapDiff(ports(a.ExposedPorts), ports(b.ExposedPorts)),
  };
  const fields = {
    entrypoint: value(a.Entrypoint, b.Entrypoint),
    cmd: value(a.Cmd, b.Cmd),
    user: value(a.User || null, b.User || null),
    workingDir: value(a.WorkingDir || null, b.WorkingDir || null),
    created: value(from.created, to.created),
  };
  for (const [key, change] of Object.entries(fields)) if (change) (diff as unknown as Record<string, unknown>)[key] = change;
  return diff;
}
