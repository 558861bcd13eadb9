import 'server-only';
import type { Limiter } from '@/lib/registry/limiter';
import type { HttpMethod } from './method';

/** What the transport tells a slot about its request, once: when the headers arrived, or when it failed. */
export interface SlotReport {
  url: URL;
  method: HttpMethod;
  /** The response status; absent when the request failed without one. */
  status?: number;
  /** The response's `Retry-After` header. */
  retryAfter?: string;
  /** The request got no answer in time (headers timeout, deadline, connect timeout). */
  timedOut?: boolean;
}

/** One concurrency slot of the transport: held from sending a request until its body is read or discarded. */
export interface RequestSlot {
  /** Frees the slot; calling it more than once is harmless. */
  release(): void;
  /** How the request went (an adaptive limit learns from it; a fixed one ignores it). */
  report(report: SlotReport): void;
}

/** Where the transport takes its slots: a fixed {@link Limiter} ({@link fixedSlots}) or an adaptive limit. */
export interface RequestSlots {
  /** Waits for a slot; rejects with the signal's reason when it aborts first (then no slot is taken). */
  take(signal?: AbortSignal): Promise<RequestSlot>;
}

/** Slots from a fixed limiter (`concurrency: N`): reports change nothing. */
export function fixedSlots(limiter: Limiter): RequestSlots {
  return {
    async take(signal) {
      const release = await limiter.acquire(signal);
      return { release, report: () => undefined };
    },
  };
}
