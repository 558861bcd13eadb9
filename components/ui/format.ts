/** Formatting helpers for sizes and times, shared by tables and dialogs. Pure (no DOM). */

/** Sizes: the one formatter of the pages and the CLI. */
export { formatBytes } from '@/lib/text/bytes';

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 days ago" / "in 2 hours" relative to `now`; empty string for an unparsable date. */
export function formatRelative(iso: string, now: number, locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const seconds = Math.round((time - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of STEPS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      if (unit === 'second' && Math.abs(seconds) < 45) return format.format(0, 'second');
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return '';
}

/** Absolute date and time in the reader's locale, with the time zone, for tooltips. */
export function formatAbsolute(iso: string, locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'long' }).format(time);
}
