/** Small display formatters shared by the manifest and referrer views. */
import { isPlaceholderDate } from '@/lib/oci/created-date';

/** Sizes: the one formatter of the pages and the CLI (a dash when unknown). */
export { formatBytes } from '@/lib/text/bytes';

/**
 * An RFC 3339 time as `2024-05-01 12:34 UTC`; the input unchanged when it does not parse. A reproducible
 * build's placeholder (before 1980) says that it is one.
 */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const time = Date.parse(value);
  if (Number.isNaN(time)) return value;
  const text = `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return isPlaceholderDate(value) ? `${text} (placeholder: build time unknown)` : text;
}

/** `application/vnd.oci.image.manifest.v1+json` → `oci.image.manifest.v1+json`, for tight spaces. */
export function shortMediaType(mediaType: string | undefined): string {
  if (!mediaType) return 'unknown media type';
  return mediaType.replace(/^application\/vnd\./, '');
}
