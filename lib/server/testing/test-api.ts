/**
 * Test helper: calls Porthole's route handlers in-process, routing a path the way Next.js does (catch-all
 * params decoded per segment, passed as a promise). Used by the `*.integration.test.ts` files of lib/server.
 */
import * as copy from '@/app/api/copy/route';
import * as health from '@/app/api/health/route';
import * as metrics from '@/app/api/metrics/route';
import * as repoPath from '@/app/api/sources/[source]/repositories/[...path]/route';
import * as repositories from '@/app/api/sources/[source]/repositories/route';
import * as sources from '@/app/api/sources/route';
import * as open from '@/app/open/route';

/** Where the tests reach Porthole: a loopback name, so that state-changing requests pass the host check. */
export const ORIGIN = 'http://localhost:3000';

function segments(pathname: string): string[] {
  return pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
}

/** Sends `init.method` (default GET) to `path` (`/api/...` or `/open?...`). */
export async function api(path: string, init: RequestInit = {}): Promise<Response> {
  // A real client always sends Host (Next.js passes it on); the delete host check needs it.
  const headers = new Headers(init.headers);
  if (!headers.has('host')) headers.set('host', new URL(ORIGIN).host);
  const request = new Request(`${ORIGIN}${path}`, { ...init, headers });
  const method = (init.method ?? 'GET').toUpperCase();
  const pathname = new URL(request.url).pathname;
  const parts = segments(pathname);
  if (pathname === '/api/health') return health.GET(request);
  if (pathname === '/api/metrics') return metrics.GET(request);
  if (pathname === '/api/copy' && method === 'POST') return copy.POST(request);
  if (pathname === '/api/sources') return sources.GET(request);
  if (pathname === '/open') return open.GET(request);
  if (parts[0] === 'api' && parts[1] === 'sources' && parts[3] === 'repositories') {
    const source = parts[2]!;
    if (parts.length === 4) return repositories.GET(request, { params: Promise.resolve({ source }) });
    const context = { params: Promise.resolve({ source, path: parts.slice(4) }) };
    if (method === 'GET') return repoPath.GET(request, context);
    if (method === 'DELETE') return repoPath.DELETE(request, context);
    return new Response(null, { status: 405 });
  }
  return new Response(null, { status: 404 });
}

/** GETs JSON and returns status and body. */
export async function getJson<T = unknown>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; response: Response; text: string }> {
  const response = await api(path, init);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, response, text };
}
