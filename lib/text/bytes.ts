/**
 * The one size formatter, used by every page and by the command line (and the benchmark report), so the
 * cleanup page and `npm run cleanup` print the same reclaimable size the same way. Pure.
 *
 * Powers of 1024 with their IEC names (`KiB`, `MiB`, …): the numbers are binary, and `KB` would claim
 * powers of 1000. At most three significant digits, trailing zeros dropped: `1.5 KiB`, `10.3 MiB`, `300 GiB`.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** `1536` → `1.5 KiB`; a dash for an unknown (null/undefined) or nonsensical (negative, NaN) size. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  // Rounding can carry to 1024 (1023.9 KiB → "1024 KiB"); that is still exact enough and never misleads.
  return `${value.toFixed(digits).replace(/\.0+$|(\.\d*?)0+$/, '$1')} ${UNITS[unit]}`;
}
