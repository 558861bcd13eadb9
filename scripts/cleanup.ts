/**
 * `npm run cleanup -- --config porthole.config.yaml --source NAME --policy policy.json [--execute]`
 * Applies a retention policy from cron; see docs/cleanup.md. Must run with the react-server condition
 * (`node --conditions=react-server --import tsx scripts/cleanup.ts`) so that `server-only` resolves.
 */
import { runCli } from '@/lib/cleanup/cli';
import { closeSharedRedis } from '@/lib/server/redis/client';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
});
// The shared Redis connection (cache.redis) would keep the process alive.
await closeSharedRedis();
process.exitCode = code;
