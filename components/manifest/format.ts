/** Small display formatters shared by the manifest and referrer views. */
/** Sizes: the one formatter of the pages and the CLI (a dash when unknown). */
export { formatBytes } from '@/lib/text/bytes';

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
