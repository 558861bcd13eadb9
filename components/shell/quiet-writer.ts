/**
 * Writes the latest of a quick succession of values once they stop coming: for a filter box mirrored into the
 * URL. Every `history.replaceState` costs 10–15 ms on the main thread (Chromium, plus the state Next.js keeps in
 * each entry) and makes Next.js re-render every `useSearchParams` reader; written per keystroke, that was on the
 * path from each keystroke to its paint. Pure (timers only).
 */
export class QuietWriter<T> {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: { value: T } | undefined;

  constructor(
    private readonly write: (value: T) => void,
    private readonly quietMs: number,
  ) {}

  /** Writes `value` after `quietMs` without a newer value. */
  schedule(value: T): void {
    this.pending = { value };
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.quietMs);
  }

  /** Writes the pending value now (the page is being hidden or reloaded). */
  flush(): void {
    clearTimeout(this.timer);
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.write(pending.value);
  }

  /** Drops the pending value (the view is gone: its URL is no longer the page's). */
  cancel(): void {
    clearTimeout(this.timer);
    this.pending = undefined;
  }
}
