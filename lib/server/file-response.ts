/**
 * The HTTP answer for one file out of a layer: its bytes as `application/octet-stream` with the blob route's
 * safety headers (no sniffing, sandboxed CSP: layers may hold HTML), its real name in `Content-Disposition`
 * (`attachment` when downloading), and how it was read (`x-porthole-read`).
 */
import 'server-only';
import type { OpenedFile } from '@/lib/layers/read-file';
import { baseName } from '@/lib/layers/tar/path';

/** RFC 6266/8187 `filename*` parameter plus an ASCII fallback. */
export function contentDisposition(kind: 'inline' | 'attachment', path: string): string {
  const name = baseName(path) || 'file';
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function fileResponse(file: OpenedFile, options: { download: boolean; immutable: boolean; etag?: string }): Response {
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    'content-length': String(file.entry.size),
    'content-disposition': contentDisposition(options.download ? 'attachment' : 'inline', file.entry.path),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': options.immutable ? 'private, max-age=31536000, immutable' : 'private, no-cache',
    'x-porthole-read': file.path,
  };
  if (options.etag) headers.etag = options.etag;
  return new Response(file.body, { status: 200, headers });
}
