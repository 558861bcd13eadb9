/**
 * `/v2/…`: Porthole as an OCI registry (distribution-spec v1.1) over the sources configured with `serve`.
 * Everything is in `lib/server/registry-server.ts` and `lib/registry/server`. See docs/registry-server.md.
 */
import { serveRegistry } from '@/lib/server/registry-server';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = serveRegistry;
export const HEAD = serveRegistry;
export const POST = serveRegistry;
export const PUT = serveRegistry;
export const PATCH = serveRegistry;
export const DELETE = serveRegistry;
