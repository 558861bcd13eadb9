/**
 * `node --conditions=react-server --import tsx lib/demo/cli.ts [DIR] [--force]`: makes sure the demo
 * registry exists in DIR (default `data/demo`), generating it when missing or outdated. Used by
 * `scripts/start.mjs` before `next start`.
 */
import { DEFAULT_DEMO_DIR, ensureDemoLayout } from './ensure';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const dir = args.find((a) => !a.startsWith('--')) ?? DEFAULT_DEMO_DIR;
  let generated = false;
  const path = await ensureDemoLayout(dir, {
    force,
    log: (message) => {
      generated = true;
      console.log(message);
    },
  });
  if (!generated) console.log(`demo: ${path} is up to date`);
}

main().catch((error: unknown) => {
  console.error(`demo: generation failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
