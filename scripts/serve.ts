/**
 * Porthole's production server: `node --import tsx scripts/serve.ts [--port N] [--hostname H]` (used by
 * `npm start` and the e2e stack). The Next.js app behind lib/server/guarded-server.ts, which refuses malformed,
 * dot-segment, oversized and wrong-method requests under /api and /v2 in the JSON error format before the
 * framework sees them (docs/security.md says why `next start` alone cannot). Needs a production build.
 * Stops on SIGINT/SIGTERM after closing the listener.
 */
import { resolve } from 'node:path';
import next from 'next';
import { installConsoleRedaction } from '@/lib/redaction/console';
import { createGuardedServer } from '@/lib/server/guarded-server';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  installConsoleRedaction();
  const port = Number(option('port') ?? (process.env.PORT || '3000'));
  // Like `next start`: every interface unless a hostname is given.
  const hostname = option('hostname');
  const dir = resolve(import.meta.dirname, '..');
  const app = next({ dev: false, dir, hostname: hostname ?? 'localhost', port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createGuardedServer((request, response) => handle(request, response));
  server.listen(port, hostname, () => console.log(`[porthole] listening on http://${hostname ?? 'localhost'}:${port}`));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
  }
}

main().catch((error: unknown) => {
  console.error(`serve: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
