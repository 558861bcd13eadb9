/**
 * Porthole's Prometheus metrics (prom-client): the series, declared once, and the text `GET /api/metrics` answers.
 * docs/operations.md lists every series with its labels.
 *
 * The registry and its series live on `globalThis` under `Symbol.for('porthole.metrics')`: Next.js bundles the
 * server into several chunks, each with its own copy of this module (and of prom-client's default registry), and
 * a count made in one chunk must show in the answer of another. prom-client's global default registry is not used.
 */
import 'server-only';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The adaptive concurrency limiter's live view of one registry (written by lib/registry, read on scrape). */
export interface RegistryLimitView {
  readonly limit: number;
  readonly inFlight: number;
}

/** Where the limiter publishes its per-registry state: a `Map` keyed by registry origin. */
export const REGISTRY_LIMITS_KEY = Symbol.for('porthole.registryLimits');

/** Cache tiers, nearest first. */
export const CACHE_TIERS = ['memory', 'disk', 'redis'] as const;
export type CacheTier = (typeof CACHE_TIERS)[number];
/** `corrupt`: an entry failed its digest check and was dropped; `error`: the tier could not be asked. */
export const CACHE_OUTCOMES = ['hit', 'miss', 'corrupt', 'error'] as const;
export type CacheOutcome = (typeof CACHE_OUTCOMES)[number];

/** Upper bounds of the latency histogram, in seconds: a loopback registry answers in ms, a slow one in seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface PortholeMetrics {
  registry: Registry;
  registryRequests: Counter<'source' | 'registry' | 'method' | 'status'>;
  registryDuration: Histogram<'source' | 'registry' | 'method'>;
  registryRetries: Counter<'source' | 'registry' | 'method' | 'reason'>;
  cacheLookups: Counter<'tier' | 'outcome'>;
  changes: Counter<'action' | 'outcome'>;
}

const KEY = Symbol.for('porthole.metrics');

function limitsMap(): ReadonlyMap<string, RegistryLimitView> | undefined {
  const found = (globalThis as Record<symbol, unknown>)[REGISTRY_LIMITS_KEY];
  return found instanceof Map ? (found as ReadonlyMap<string, RegistryLimitView>) : undefined;
}

/** A gauge per registry origin, filled from the limiter's map at scrape time (no map: no samples). */
function limitGauge(registry: Registry, name: string, help: string, value: (view: RegistryLimitView) => number): void {
  new Gauge({
    name,
    help,
    labelNames: ['registry'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [origin, view] of limitsMap() ?? []) this.set({ registry: origin }, value(view));
    },
  });
}

function create(): PortholeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: PortholeMetrics = {
    registry,
    registryRequests: new Counter({
      name: 'porthole_registry_requests_total',
      help: 'Registry requests (attempts, retries included) by source, registry, method and status (HTTP status, or the error code when no response came).',
      labelNames: ['source', 'registry', 'method', 'status'],
      registers,
    }),
    registryDuration: new Histogram({
      name: 'porthole_registry_request_duration_seconds',
      help: 'Time from sending a registry request (slot wait included) to its response headers.',
      labelNames: ['source', 'registry', 'method'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    registryRetries: new Counter({
      name: 'porthole_registry_retries_total',
      help: 'Registry requests sent again, by what the previous attempt came to (status or error code).',
      labelNames: ['source', 'registry', 'method', 'reason'],
      registers,
    }),
    cacheLookups: new Counter({
      name: 'porthole_cache_lookups_total',
      help: 'Cache lookups by tier (memory, disk, redis) and outcome (hit, miss, corrupt, error).',
      labelNames: ['tier', 'outcome'],
      registers,
    }),
    changes: new Counter({
      name: 'porthole_changes_total',
      help: 'State-changing attempts recorded in the audit log (deletes, cleanups, copies, pushes) by action and outcome.',
      labelNames: ['action', 'outcome'],
      registers,
    }),
  };
  limitGauge(registry, 'porthole_registry_concurrency_limit', 'Current adaptive concurrency limit per registry origin.', (view) => view.limit);
  limitGauge(registry, 'porthole_registry_in_flight', 'Registry requests in flight per registry origin.', (view) => view.inFlight);
  // Every tier and outcome from the start, so that rates work before the first event.
  for (const tier of CACHE_TIERS) for (const outcome of CACHE_OUTCOMES) metrics.cacheLookups.inc({ tier, outcome }, 0);
  return metrics;
}

/** The process's metrics (created on first use). */
export function portholeMetrics(): PortholeMetrics {
  const scope = globalThis as Record<symbol, unknown>;
  let found = scope[KEY] as PortholeMetrics | undefined;
  if (!found) {
    found = create();
    scope[KEY] = found;
  }
  return found;
}

/** The Prometheus text exposition of every series, and its content type. */
export async function metricsText(): Promise<{ text: string; contentType: string }> {
  const { registry } = portholeMetrics();
  return { text: await registry.metrics(), contentType: registry.contentType };
}
