/**
 * The control law of a registry's adaptive concurrency limit (`concurrency: auto`): how many requests may be in
 * flight, decided from what comes back. Pure — no timers, no I/O; the caller passes the clock — so that the
 * law itself is unit-tested (concurrency-law.test.ts). The limiter that applies it is adaptive-limit.ts.
 *
 * The law, in short (docs/performance.md has it as a paragraph):
 * - **Windows.** Successful answers (latency: send → response headers) are judged in windows of
 *   `max(limit, minWindow)` samples, by their median.
 * - **Floor.** The lowest window median seen is the registry's unloaded round trip (a median, so that one
 *   lucky answer does not set it). A floor older than `floorTtlMs` is replaced by the next window's median, so
 *   a changed network is learned again.
 * - **Growth.** When the median stays near the floor (≤ floor × `nearFloor` + `slackMs`) and the limit was
 *   actually reached in that window (requests had to wait for a slot), the limit grows by `growthFactor`
 *   (at least +1) — up to the ceiling, and never above `max`.
 * - **Latency growth.** A median above floor × `tooSlow` + `slackMs` in `slowWindows` windows in a row means
 *   requests queue at the registry: the limit shrinks by `latencyFactor`, but latency alone never takes it below
 *   `initial` (the fixed default it replaces): on a busy host latency also grows for reasons that are not the
 *   registry's, and auto must never be slower than the fixed 8 unless the registry says so. One slow window is
 *   not enough: the median of a window of a dozen answers jumps with the host's scheduling, and cutting on
 *   every jump kept the limit swinging a quarter below what the registry took.
 * - **Overload.** A 429, a 503 or a timeout shrinks the limit by `overloadFactor` at once (to the ceiling when
 *   it pauses, below) — once per burst: answers to requests sent before the last cut do not cut again (they
 *   saw the old limit). The ceiling growth stops at becomes the fewest requests in flight any rejected
 *   request of the burst was sent with, minus one: the registry took that many. The caller's count must never
 *   be below the registry's (adaptive-limit.ts counts a request from its slot to its last body byte, less
 *   the answers that had already arrived when it was sent and the refused requests among them), so the
 *   ceiling is never below what the registry takes, and above it only by answers still on their way back
 *   when the refused request left (no margin: traced, 3 in 4 bursts counted exactly, and a margin would run
 *   those one lower for good). (Counting one lower per rejection instead undercounts: while the first
 *   refusal is on its way back, every request sent at the same too-high limit is refused too — four
 *   refusals sent with 17–20 in flight still mean 16 were taken.)
 *   `ceilingHoldMs` after the last overload, growth probes one above the ceiling per window.
 * - **Retry-After.** A 429 or 503 that says when to come back pauses every new request until then (capped
 *   at `maxPauseMs`), and the burst's cut goes to the ceiling instead of half: nothing is sent during the
 *   pause, so when it ends the registry holds none of Porthole's requests and takes the ceiling at once
 *   (halving there only cost the windows of growing back). When the last limit a whole window went through
 *   is lower than the ceiling, sending resumes there and one window near the floor grows it to the ceiling.
 *   A burst before any window went through since the last cut halves all the same: refused again right after
 *   resuming, the registry is overloaded by more than Porthole's requests.
 */

export interface LawSettings {
  /** Limit at the start (default 8: the fixed default it replaces). */
  initial: number;
  /** Lowest limit (default 2: a token request must always find a slot beside a held one). */
  min: number;
  /** Highest limit (`maxConcurrency`, default 64). */
  max: number;
  /** Growth per window near the floor (default 1.25, at least +1). */
  growthFactor: number;
  /** Cut on 429, 503 or a timeout (default 0.5). */
  overloadFactor: number;
  /** Cut when the median latency grew (default 0.8). */
  latencyFactor: number;
  /** "Near the floor": median ≤ floor × this + slack (default 1.5). */
  nearFloor: number;
  /** "Latency grew": median > floor × this + slack (default 2). */
  tooSlow: number;
  /** Too-slow windows in a row before latency cuts the limit (default 2). */
  slowWindows: number;
  /** Absolute slack on both thresholds, for timer and scheduling noise of fast registries (default 5 ms). */
  slackMs: number;
  /** Smallest window (default 8 samples). */
  minWindow: number;
  /** How long a floor is trusted without being seen again (default 5 minutes). */
  floorTtlMs: number;
  /** How long the ceiling learned from an overload holds before growth probes above it (default 30 s). */
  ceilingHoldMs: number;
  /** Longest pause a Retry-After may impose on new requests (default 60 s, as the retry layer's). */
  maxPauseMs: number;
}

export const DEFAULT_LAW: LawSettings = {
  initial: 8,
  min: 2,
  max: 64,
  growthFactor: 1.25,
  overloadFactor: 0.5,
  latencyFactor: 0.8,
  nearFloor: 1.5,
  tooSlow: 2,
  slowWindows: 2,
  slackMs: 5,
  minWindow: 8,
  floorTtlMs: 300_000,
  ceilingHoldMs: 30_000,
  maxPauseMs: 60_000,
};

/** What one request to the registry told. Times are ms on the caller's clock (the same as `now`). */
export type Outcome =
  | { kind: 'ok'; sentAt: number; latencyMs: number }
  | {
      /** `overload`: 429 or 503; `timeout`: no (complete) answer in time. */
      kind: 'overload' | 'timeout';
      sentAt: number;
      /** Requests in flight, this one included, when it was sent. */
      inFlightAtSend: number;
      /** The answer's Retry-After, in ms. */
      retryAfterMs?: number;
    };

export class ConcurrencyLaw {
  readonly settings: LawSettings;
  /** Requests that may be in flight now. */
  limit: number;
  /** Growth stops here until `ceilingHoldMs` after the last overload (`max` while none was seen). */
  ceiling: number;
  /** The lowest window median latency seen (ms), undefined before the first window closed. */
  floorMs: number | undefined;
  /** New requests wait until this time (0: no pause). */
  pausedUntil = 0;
  private floorSeenAt = 0;
  /** The last limit a whole window went through near the floor (0: none yet): where a pause resumes at most. */
  private knownGood = 0;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  /** Whether a whole window went through near the floor since the last cut (or since the start). */
  private goodSinceCut = true;
  private lastOverloadAt = Number.NEGATIVE_INFINITY;
  private window: number[] = [];
  private windowLimited = false;
  /** Too-slow windows in a row so far. */
  private slowStreak = 0;

  constructor(settings: Partial<LawSettings> = {}) {
    this.settings = { ...DEFAULT_LAW, ...settings };
    const { min, max } = this.settings;
    if (!(min >= 1 && max >= min)) throw new RangeError('concurrency law: need 1 ≤ min ≤ max');
    this.limit = this.clamp(this.settings.initial);
    this.ceiling = max;
  }

  /** A request had to wait for a slot (or took the last one): the limit is what bounds the rate now. */
  limited(): void {
    this.windowLimited = true;
  }

  /** Feeds one outcome; `limit`, `ceiling`, `floorMs` and `pausedUntil` reflect it afterwards. */
  observe(outcome: Outcome, now: number): void {
    if (outcome.kind === 'ok') {
      this.sample(outcome.latencyMs, outcome.sentAt, now);
      return;
    }
    const s = this.settings;
    if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > 0) {
      this.pausedUntil = Math.max(this.pausedUntil, now + Math.min(outcome.retryAfterMs, s.maxPauseMs));
    }
    this.lastOverloadAt = now;
    if (outcome.sentAt < this.lastCutAt) {
      // Sent under the old limit: the same burst, no second cut; it lowers the ceiling only if it was sent
      // with fewer requests in flight than any rejection so far.
      this.ceiling = this.clamp(Math.min(this.ceiling, outcome.inFlightAtSend - 1));
      this.limit = Math.min(this.limit, this.ceiling);
      return;
    }
    this.ceiling = this.clamp(Math.min(this.limit, outcome.inFlightAtSend) - 1);
    // A Retry-After pause sends nothing until the registry has worked off what it holds: the requests it took
    // are the ceiling, so sending resumes there (at the last limit a window went through, when lower: one
    // window grows it the rest). Without a pause the registry is still overloaded: halve.
    // Only when a window went through since the last cut: refused again right after resuming, the registry is
    // overloaded for reasons of its own (other clients, a 503), and halving backs off faster than the ceiling.
    const paused = this.pausedUntil > now && this.goodSinceCut;
    const resume = this.knownGood > 0 ? Math.min(this.ceiling, this.knownGood) : this.ceiling;
    this.cutTo(paused ? resume : Math.floor(this.limit * s.overloadFactor), now);
  }

  /** Lowers the highest limit (never below `min`); the limit and ceiling follow. */
  capAt(max: number): void {
    const s = this.settings;
    s.max = Math.max(s.min, Math.min(s.max, Math.floor(max)));
    this.limit = this.clamp(this.limit);
    this.ceiling = Math.min(this.ceiling, s.max);
  }

  private sample(latencyMs: number, sentAt: number, now: number): void {
    const s = this.settings;
    // Answers to requests sent before the last cut describe the old limit, not this one.
    if (sentAt < this.lastCutAt) return;
    this.window.push(latencyMs);
    if (this.window.length < Math.max(this.limit, s.minWindow)) return;

    const sorted = [...this.window].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const limited = this.windowLimited;
    this.window = [];
    this.windowLimited = false;
    if (this.floorMs === undefined || median <= this.floorMs || now - this.floorSeenAt > s.floorTtlMs) {
      this.floorMs = median;
      this.floorSeenAt = now;
    }
    const floor = this.floorMs;
    if (median > floor * s.tooSlow + s.slackMs) {
      if (++this.slowStreak < s.slowWindows) return;
      const lower = Math.max(s.initial, Math.floor(this.limit * s.latencyFactor));
      if (lower < this.limit) this.cutTo(lower, now);
      return;
    }
    this.slowStreak = 0;
    if (!limited || median > floor * s.nearFloor + s.slackMs) return;
    this.knownGood = this.limit;
    this.goodSinceCut = true;
    if (this.limit < this.ceiling) {
      this.limit = Math.min(this.ceiling, Math.max(this.limit + 1, Math.floor(this.limit * s.growthFactor)));
    } else if (this.ceiling < s.max && now - this.lastOverloadAt >= s.ceilingHoldMs) {
      // The ceiling has held long enough: probe one above it.
      this.ceiling += 1;
      this.limit = this.ceiling;
    }
  }

  private cutTo(limit: number, now: number): void {
    this.limit = this.clamp(limit);
    this.goodSinceCut = false;
    this.lastCutAt = now;
    this.window = [];
    this.windowLimited = false;
    this.slowStreak = 0;
  }

  private clamp(value: number): number {
    return Math.min(this.settings.max, Math.max(this.settings.min, Math.floor(value)));
  }
}
