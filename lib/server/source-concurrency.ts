/**
 * How many registry calls a source's pool (`Source.pool`, sources.ts) lets run at once. With a fixed
 * `concurrency` that number. With `concurrency: auto` the http transport's adaptive limit bounds the registry
 * requests (lib/registry/http/transport/adaptive-limit.ts), so the pool must not cap them below it: it admits up
 * to `maxConcurrency` (a unify source over http members: the default 64) and the transport queues the rest. A
 * layout or memory source has no registry to adapt to and keeps 8.
 */
import 'server-only';
import { DEFAULT_MAX_CONCURRENCY, FIXED_CONCURRENCY_OF_AUTO, type SourceConfig } from './config';

export function poolLimit(config: Pick<SourceConfig, 'kind' | 'concurrency' | 'maxConcurrency'>): number {
  if (config.concurrency !== 'auto') return config.concurrency;
  if (config.kind === 'http') return config.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  if (config.kind === 'unify') return DEFAULT_MAX_CONCURRENCY;
  return FIXED_CONCURRENCY_OF_AUTO;
}
