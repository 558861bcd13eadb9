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

/**
 * Formatters by locale, made once: constructing an `Intl` formatter costs about a millisecond, and a table
 * renders dozens of dates per keystroke of its filter (each row: a relative time and an absolute tooltip).
 */
const relativeFormats = new Map<string | undefined, Intl.RelativeTimeFormat>();
const absoluteFormats = new Map<string | undefined, Intl.DateTimeFormat>();

function relativeFormat(locale: string | undefined): Intl.RelativeTimeFormat {
  let format = relativeFormats.get(locale);
  if (!format) relativeFormats.set(locale, (format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })));
  return format;
}

function absoluteFormat(locale: string | undefined): Intl.DateTimeFormat {
  let format = absoluteFormats.get(locale);
  if (!format) absoluteFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'long' })));
  return format;
}

/** "3 days ago" / "in 2 hours" relative to `now`; empty string for an unparsable date. */
export function formatRelative(iso: string, now: number, locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const seconds = Math.round((time - now) / 1000);
  const format = relativeFormat(locale);
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
  return absoluteFormat(locale).format(time);
}
