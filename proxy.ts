/** Next.js proxy (formerly middleware) for the JSON surfaces: see lib/server/api-proxy.ts and docs/security.md. */
import { apiProxy } from '@/lib/server/api-proxy';

export default apiProxy;

export const config = { matcher: ['/api/:path*', '/v2/:path*'] };
