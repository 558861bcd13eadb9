/**
 * The functions that count: called by the caches (tiers), the registry observer and the audit log. Each is cheap
 * (a counter increment) and never throws into its caller.
 */
import 'server-only';
import type { RegistryEvent } from '@/lib/registry/http/transport/observers';
import { CACHE_OUTCOMES, CACHE_TIERS, portholeMetrics, type CacheOutcome, type CacheTier } from './registry';

/** One cache lookup: which tier answered how. */
export interface CacheEvent {
  tier: CacheTier;
  outcome: CacheOutcome;
}

/** Counts a cache lookup (`porthole_cache_lookups_total`). Unknown tiers or outcomes are ignored, not invented. */
export function recordCacheEvent({ tier, outcome }: CacheEvent): void {
  if (!CACHE_TIERS.includes(tier) || !CACHE_OUTCOMES.includes(outcome)) return;
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
