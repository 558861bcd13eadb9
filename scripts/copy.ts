/**
 * `npm run copy -- FROM TO [--no-referrers] [--platform linux/amd64]… [--config porthole.config.yaml]`
 * Copies an image with its referrers between configured sources; see docs/copy.md. Must run with the
 * react-server condition (`node --conditions=react-server --import tsx scripts/copy.ts`) so that `server-only`
 * resolves.
 */
import { runCopyCli } from '@/lib/copy-cli/cli';
import { closeSharedRedis } from '@/lib/server/redis/client';

const code = await runCopyCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
});
// The shared Redis connection (cache.redis) would keep the process alive.
await closeSharedRedis();
process.exitCode = code;
