/**
 * The functions that count: called by the caches (tiers), the registry observer and the audit log. Each is cheap
 * (a counter increment) and never throws into its caller.
 */
import 'server-only';
import type { RegistryEvent } from '@/lib/registry/http/transport/observers';
import { CACHE_OUTCOMES, CACHE_TIERS, portholeMetrics, type CacheOutcome, type CacheTier } from './registry';

/**
 * One cache lookup: which tier (`memory`, `disk`, `redis`) answered how (`hit`, `miss`, `corrupt`, `error`).
 * Plain strings, so that a tiered store's `onEvent` (lib/registry/cache/content-store.ts `TierEvent`) can be
 * passed `recordCacheEvent` as is.
 */
export interface CacheEvent {
  readonly tier: CacheTier | (string & {});
  readonly outcome: CacheOutcome | (string & {});
}

const isTier = (tier: string): tier is CacheTier => (CACHE_TIERS as readonly string[]).includes(tier);
const isOutcome = (outcome: string): outcome is CacheOutcome => (CACHE_OUTCOMES as readonly string[]).includes(outcome);

/**
 * Counts a cache lookup (`porthole_cache_lookups_total`). Unknown tiers or outcomes are ignored rather than made
 * into new series (a combined tier name such as `memory+disk` is not a tier). Never throws.
 */
export function recordCacheEvent({ tier, outcome }: CacheEvent): void {
  if (!isTier(tier) || !isOutcome(outcome)) return;
  portholeMetrics().cacheLookups.inc({ tier, outcome });
}

/** Counts a registry request attempt (count and latency) or a retry. */
export function recordRegistryEvent(event: RegistryEvent): void {
  const metrics = portholeMetrics();
  const labels = { source: event.source, registry: event.registry, method: event.method };
  if (event.type === 'retry') {
    metrics.registryRetries.inc({ ...labels, reason: event.reason });
    return;
  }
  metrics.registryRequests.inc({ ...labels, status: event.status !== undefined ? String(event.status) : (event.error ?? 'UNKNOWN') });
  metrics.registryDuration.observe(labels, event.durationMs / 1000);
}

/** Counts an audited state-changing attempt (`porthole_changes_total`) by its action and result. */
export function recordChange(action: string, outcome: string): void {
  portholeMetrics().changes.inc({ action, outcome });
}
