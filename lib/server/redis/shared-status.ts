/**
 * Source status (lib/server/source-status.ts) shared between replicas: a probe's answer is kept in Redis under
 * `porthole:status:<scope>:<source>` for the status cache time, so that a dashboard polling several replicas
 * still sends one probe per source per cache time, not one per replica. `checkedAt` tells when and the answer
 * is the probing replica's. Only http sources (shared-scope.ts); an unavailable Redis means probing here.
 */
import 'server-only';
import type { SourceStatus } from '@/lib/api/types';
import type { Source } from '../sources';
import { tryRedis } from './run';
import { configuredRedis } from './shared';
import { sharedScope } from './shared-scope';

/** Prefix of every shared source status. */
export const STATUS_PREFIX = 'porthole:status:';

function parse(text: string | null | undefined): SourceStatus | undefined {
  if (!text) return undefined;
  try {
    const status = JSON.parse(text) as Partial<SourceStatus>;
    return typeof status.reachable === 'boolean' && typeof status.checkedAt === 'string' ? (status as SourceStatus) : undefined;
  } catch {
    return undefined;
  }
}

/** The status another replica shared within `ttlMs`, else `probe()` (then shared). Never throws when `probe` does not. */
export async function statusThroughShared(source: Source, ttlMs: number, probe: () => Promise<SourceStatus>): Promise<SourceStatus> {
  const scope = sharedScope(source);
  const client = scope === undefined ? undefined : await configuredRedis().catch(() => undefined);
  if (scope === undefined || !client) return probe();
  const key = `${STATUS_PREFIX}${scope}:${source.name}`;
  const shared = parse(await tryRedis(client, (redis) => redis.get(key)));
  if (shared) return shared;
  const status = await probe();
  await tryRedis(client, (redis) => redis.set(key, JSON.stringify(status), 'PX', ttlMs));
  return status;
}
