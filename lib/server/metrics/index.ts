/**
 * Prometheus metrics of the server (docs/operations.md): `registry.ts` declares the series, `record.ts` counts.
 * Cache tiers call {@link recordCacheEvent}; registry requests are counted through the observer that
 * lib/server/observability.ts installs; audited changes through lib/server/audit.ts.
 */
import 'server-only';

export { recordCacheEvent, recordChange, recordRegistryEvent, type CacheEvent } from './record';
export { CACHE_OUTCOMES, CACHE_TIERS, metricsText, REGISTRY_LIMITS_KEY, type CacheOutcome, type CacheTier, type RegistryLimitView } from './registry';
