/**
 * Live status of the configured sources (`GET /api/sources?status=1`, `GET /api/health?deep=1`): is the
 * registry reachable, does it accept the credentials, what can it do, how long `GET /v2/` takes.
 *
 * Each probe is bounded by a short deadline (a down registry must not hold the sources page) and its answer is
 * cached briefly per source, process-wide on `globalThis` (every route bundle shares it), so that a dashboard
 * polling every few seconds sends one probe per source per {@link STATUS_TTL_MS} — across every replica when
 * `cache.redis` is set.
 */
import 'server-only';
import type { SourceStatus } from '@/lib/api/types';
import type { HttpRegistry } from '@/lib/registry/http';
import { someRepository, sourceDeletion } from './deletion-service';
import { statusThroughShared } from './redis/shared-status';
import type { Source } from './sources';

/** How long a probe's answer is reused. */
export const STATUS_TTL_MS = 10_000;
/** How long one source's probe may take in all (ping plus capabilities). */
export const STATUS_DEADLINE_MS = 5_000;

interface Entry {
  at: number;
  status: Promise<SourceStatus>;
}

const KEY = Symbol.for('porthole.server.source-status');
// Keyed by the Source object: a reloaded configuration builds new sources and so starts with no status.
const cache: WeakMap<Source, Entry> = ((globalThis as Record<symbol, unknown>)[KEY] as WeakMap<Source, Entry> | undefined) ?? new WeakMap();
(globalThis as Record<symbol, unknown>)[KEY] = cache;

type Reach = Pick<SourceStatus, 'reachable' | 'auth' | 'latencyMs' | 'error'>;

function hasPing(registry: unknown): registry is Pick<HttpRegistry, 'ping'> {
  return typeof (registry as Partial<HttpRegistry>).ping === 'function';
}

async function reach(source: Source, signal: AbortSignal): Promise<Reach> {
  // Layout and memory sources are Porthole's own storage: nothing to reach.
  if (!hasPing(source.backend)) return { reachable: true, auth: 'none', latencyMs: null };
  const answer = await source.backend.ping(signal);
  return { reachable: answer.reachable, auth: answer.auth, latencyMs: answer.latencyMs ?? null, ...(answer.error ? { error: answer.error } : {}) };
}

/** Catalog, referrers API and tag deletion, once the registry answered; what the deadline cut off stays unknown. */
async function features(source: Source, signal: AbortSignal): Promise<Pick<SourceStatus, 'catalog' | 'referrersApi' | 'tagDelete'>> {
  const result: Pick<SourceStatus, 'catalog' | 'referrersApi' | 'tagDelete'> = { catalog: 'unknown', referrersApi: 'unknown', tagDelete: 'unknown' };
  try {
    result.catalog = (await source.registry.capabilities(undefined, { signal })).catalog;
    const repo = result.catalog === true ? await someRepository(source, signal) : undefined;
    if (repo !== undefined) result.referrersApi = (await source.registry.capabilities(repo, { signal })).referrersApi;
    result.tagDelete = (await sourceDeletion(source, repo, signal)).tagDelete;
  } catch {
    // Deadline reached or a probe failed: keep what is known.
  }
  return result;
}

async function probe(source: Source): Promise<SourceStatus> {
  const checkedAt = new Date().toISOString();
  const signal = AbortSignal.timeout(STATUS_DEADLINE_MS);
  const reached = await reach(source, signal);
  if (!reached.reachable || reached.auth === 'rejected') {
    return { ...reached, catalog: 'unknown', referrersApi: 'unknown', tagDelete: 'unknown', checkedAt };
  }
  return { ...reached, ...(await features(source, signal)), checkedAt };
}

/** The live status of one source, probed at most once per {@link STATUS_TTL_MS}. Never throws. */
export function sourceStatus(source: Source, now = Date.now()): Promise<SourceStatus> {
  const cached = cache.get(source);
  if (cached && now - cached.at < STATUS_TTL_MS) return cached.status;
  // With cache.redis, another replica's answer within the same time is reused (lib/server/redis/shared-status.ts).
  const status = statusThroughShared(source, STATUS_TTL_MS, () => probe(source));
  cache.set(source, { at: now, status });
  return status;
}

/** Every source's status, probed concurrently: the whole answer takes about one deadline at most. */
export function sourceStatuses(sources: readonly Source[]): Promise<SourceStatus[]> {
  return Promise.all(sources.map((source) => sourceStatus(source)));
}

/** A source that is down or refuses its credentials: what `GET /api/health?deep=1` reports as failing. */
export function isFailing(status: SourceStatus): boolean {
  return !status.reachable || status.auth === 'rejected';
}
