/** Small display formatters shared by the manifest and referrer views. */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Bytes in SI units, e.g. `12.3 MB`; exact bytes below 1 kB. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ${UNITS[unit]}`;
}

/** An RFC 3339 time as `2024-05-01 12:34 UTC`; the input unchanged when it does not parse. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const time = Date.parse(value);
  if (Number.isNaN(time)) return value;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `application/vnd.oci.image.manifest.v1+json` → `oci.image.manifest.v1+json`, for tight spaces. */
export function shortMediaType(mediaType: string | undefined): string {
  if (!mediaType) return 'unknown media type';
  return mediaType.replace(/^application\/vnd\./, '');
}
