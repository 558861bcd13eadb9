/** Small display formatters shared by the manifest and referrer views. */
import { formatBytes as formatSize } from '@/components/ui/format';

/** Bytes as the rest of the UI prints them (powers of 1024); a dash when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? '—' : formatSize(bytes);
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
