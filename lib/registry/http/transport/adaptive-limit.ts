/**
 * Adaptive per-registry concurrency (`concurrency: auto`): one {@link AdaptiveLimit} per registry origin in the
 * process, shared by every source that points at that registry, steering the one concurrency primitive
 * (`Limiter`, lib/registry/limiter.ts) with the control law of concurrency-law.ts.
 *
 * **Metrics contract.** `globalThis[Symbol.for('porthole.registryLimits')]` is a
 * `Map<string, { readonly limit: number; readonly inFlight: number }>` keyed by the registry's origin
 * (`https://registry.example.com`, `http://127.0.0.1:5000`); its values are the live {@link AdaptiveLimit}
 * objects, so reading `limit` and `inFlight` always gives the current figures. An origin is in the map while at
 * least one open registry uses its adaptive limit. Registries with a fixed `concurrency` are not in it (each has
 * a limiter of its own). Readers must not write to the map.
 *
 * The map lives on `globalThis` because Next.js bundles server code into several chunks: a module-level map
 * would exist once per chunk, and two route bundles would each drive a limit of their own.
 */
import 'server-only';
import { Limiter } from '@/lib/registry/limiter';
import { ConcurrencyLaw, type LawSettings } from './concurrency-law';
import { parseRetryAfter } from './retry';
import type { RequestSlot, RequestSlots, SlotReport } from './slots';

/** What `globalThis[Symbol.for('porthole.registryLimits')]` maps each registry origin to. */
export interface RegistryLimitView {
  /** Requests that may be in flight now. */
  readonly limit: number;
  /** Requests in flight now (slots held). */
  readonly inFlight: number;
}

const KEY = Symbol.for('porthole.registryLimits');

/** The process-wide map of adaptive limits by registry origin (see the metrics contract above). */
export function registryLimits(): Map<string, AdaptiveLimit> {
  const root = globalThis as Record<symbol, unknown>;
  let map = root[KEY] as Map<string, AdaptiveLimit> | undefined;
  if (!map) {
    map = new Map();
    root[KEY] = map;
  }
  return map;
}

/** A request as the law judges it: the requests in flight when it was sent, less those already answered. */
interface Sent {
  /** Order of sending. */
  seq: number;
  sentAt: number;
  /** Slots held when it was sent, its own included. */
  inFlight: number;
  /** Of those, answers that had already arrived (read later in the same event-loop turn). */
  arrivedBefore: number;
}

/** A refused request, as judged: its {@link Sent} numbers, when it was answered, the count it was judged by. */
interface Refusal {
  seq: number;
  sentAt: number;
  answeredAt: number;
  inFlight: number;
}

/** How long a refusal is remembered for judging the refusals of requests sent around it. */
const REFUSALS_KEPT_MS = 60_000;

/** Statuses that say the registry (or its rate limiter) is overloaded. */
const OVERLOAD_STATUSES = new Set([429, 503]);

/** A registry's adaptive concurrency limit: slots for the transport, learning from each request's outcome. */
export class AdaptiveLimit implements RequestSlots, RegistryLimitView {
  readonly law: ConcurrencyLaw;
  private readonly limiter: Limiter;
  /** Open registries using this limit; it leaves the process-wide map when the last one closes. */
  users = 0;
  private sentThisTurn: Sent[] = [];
  /** Requests sent so far (numbers {@link Sent.seq}). */
  private sends = 0;
  /** Recent refusals. */
  private refusals: Refusal[] = [];
  /** Ends the turn {@link sentThisTurn} belongs to: the check phase after the I/O callbacks that sent them. */
  private turnEnds: ReturnType<typeof setImmediate> | undefined;

  constructor(
    readonly origin: string,
    settings: Partial<LawSettings> = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.law = new ConcurrencyLaw(settings);
    this.limiter = new Limiter(this.law.limit);
  }

  get limit(): number {
    return this.limiter.limit;
  }

  get inFlight(): number {
    return this.limiter.inFlight;
  }

  async take(signal?: AbortSignal): Promise<RequestSlot> {
    this.noteBinding(1);
    const release = await this.limiter.acquire(signal);
    const sentAt = this.now();
    const sent: Sent = { seq: ++this.sends, sentAt, inFlight: this.limiter.inFlight, arrivedBefore: 0 };
    this.noteSent(sent);
    let reported = false;
    let released = false;
    /** The registry answered (and did not refuse): only then was it done with the request when the slot went. */
    let answered = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        release();
        if (answered) this.noteReleased(sent);
      },
      report: (report) => {
        if (reported) return;
        reported = true;
        answered = report.status !== undefined && !report.timedOut && !OVERLOAD_STATUSES.has(report.status);
        this.learn(report, sent);
      },
    };
  }

  /**
   * Requests sent in this turn of the event loop. Answers read later in the same turn had reached this process
   * before they were sent — the registry was done with them — yet still held their slots: each such release
   * is taken off the requests in flight a request is judged by ({@link Sent}), so that a 429's count is the
   * registry's, not one raised by answers Porthole had not got round to (a few under load, measured).
   */
  private noteSent(sent: Sent): void {
    this.sentThisTurn.push(sent);
    this.turnEnds ??= setImmediate(() => {
      this.sentThisTurn = [];
      this.turnEnds = undefined;
    });
  }

  /**
   * Only answers count, and only for requests sent after the answered one (it was in their count): an aborted or
   * timed-out request may still be at the registry, and a refusal is taken off by {@link refused} already.
   */
  private noteReleased(own: Sent): void {
    for (const sent of this.sentThisTurn) if (sent.seq > own.seq) sent.arrivedBefore++;
  }

  /** Lowers the highest limit (two sources with different `maxConcurrency` on one registry: the lower wins). */
  capAt(max: number): void {
    this.law.capAt(max);
    this.apply();
  }

  private learn(report: SlotReport, sent: Sent): void {
    // Only the registry's own answers describe its load (not a blob store a redirect led to, nor a token realm).
    if (report.url.origin !== this.origin) return;
    this.noteBinding(0);
    const now = this.now();
    const { sentAt } = sent;
    const inFlightAtSend = sent.inFlight - sent.arrivedBefore;
    if (report.timedOut) {
      this.law.observe({ kind: 'timeout', sentAt, inFlightAtSend }, now);
    } else if (report.status !== undefined && OVERLOAD_STATUSES.has(report.status)) {
      this.refused(sent, inFlightAtSend, parseRetryAfter(report.retryAfter), now);
    } else if (report.status !== undefined && (report.method === 'GET' || report.method === 'HEAD')) {
      // An upload's time to headers includes sending its body: no measure of the round trip.
      this.law.observe({ kind: 'ok', sentAt, latencyMs: now - sentAt }, now);
    }
    this.apply();
  }

  /**
   * A refusal, judged by the requests in flight when it was sent less the refused ones among them: the registry
   * never counted those. Without this, the second refusal of a burst counted the first and set the ceiling one
   * too high. Answers come back in any order, so both ways: refusals known now that were sent before this one
   * and answered after it left, and refusals already judged that were sent after it while it was in flight
   * (judged again, one lower: a later refusal of the same burst only lowers the ceiling).
   */
  private refused(sent: Sent, inFlight: number, retryAfterMs: number | undefined, now: number): void {
    this.refusals = this.refusals.filter((q) => now - q.answeredAt < REFUSALS_KEPT_MS);
    const ahead = this.refusals.filter((q) => q.seq < sent.seq && q.answeredAt > sent.sentAt).length;
    const own: Refusal = { seq: sent.seq, sentAt: sent.sentAt, answeredAt: now, inFlight: inFlight - ahead };
    this.law.observe({ kind: 'overload', sentAt: sent.sentAt, inFlightAtSend: own.inFlight, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, now);
    for (const later of this.refusals) {
      if (later.seq < sent.seq) continue;
      later.inFlight -= 1;
      this.law.observe({ kind: 'overload', sentAt: later.sentAt, inFlightAtSend: later.inFlight }, now);
    }
    this.refusals.push(own);
  }

  /**
   * Tells the law when the limit is what holds requests back (requests wait, or every slot is taken): only
   * then does growing it help. Checked when a request asks for a slot and again when an answer comes back,
   * since a queue filled at once keeps waiting long after it asked.
   */
  private noteBinding(asking: number): void {
    if (this.limiter.queued > 0 || this.limiter.held || this.limiter.inFlight + asking >= this.limiter.limit) this.law.limited();
  }

  private apply(): void {
    if (this.limiter.limit !== this.law.limit) this.limiter.resize(this.law.limit);
    const pause = this.law.pausedUntil - this.now();
    if (pause > 0) this.limiter.holdFor(pause);
  }
}

/**
 * The adaptive limit of `origin`, created on first use and counted as used until {@link closeAdaptiveLimit}.
 * `max` is the source's `maxConcurrency`; the lowest of the sources sharing the registry applies.
 */
export function openAdaptiveLimit(origin: string, max: number): AdaptiveLimit {
  const map = registryLimits();
  let limit = map.get(origin);
  if (!limit) {
    limit = new AdaptiveLimit(origin, { max, initial: Math.min(8, max) });
    map.set(origin, limit);
  } else {
    limit.capAt(max);
  }
  limit.users++;
  return limit;
}

/** One registry using `limit` closed; the last one takes the origin out of the map. */
export function closeAdaptiveLimit(limit: AdaptiveLimit): void {
  limit.users--;
  const map = registryLimits();
  if (limit.users <= 0 && map.get(limit.origin) === limit) map.delete(limit.origin);
}
