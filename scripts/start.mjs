// `npm start`: the one command to run Porthole.
// 1. Without a configuration (env PORTHOLE_CONFIG or REGISTRY_URL, or porthole.config.yaml/.json in the working
//    directory) Porthole serves the embedded demo registry: generate it first if missing or outdated
//    (lib/demo/cli.ts, run through tsx with the react-server condition so `server-only` resolves).
// 2. Build when `.next/BUILD_ID` is missing or older than any source file (a stale build would serve old code).
// 3. scripts/serve.ts on PORT (default 3000): the production build behind the request guard that refuses bad
//    requests before the framework sees them (docs/security.md), forwarding SIGINT/SIGTERM and exiting with its
//    exit code.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Config files looked for in the working directory, in order. */
export const CONFIG_FILES = ['porthole.config.yaml', 'porthole.config.yml', 'porthole.config.json'];

/** Sources whose change makes a production build stale (directories are walked, test files skipped). */
export const BUILD_INPUTS = [
  'app', 'components', 'lib', 'public', 'next.config.js', 'package.json', 'package-lock.json',
  'postcss.config.mjs', 'tsconfig.json', 'proxy.ts', 'instrumentation.ts',
];

/** What configures Porthole, or undefined when nothing does (then the demo is served). */
export function detectConfig(cwd = process.cwd(), env = process.env) {
  if (env.PORTHOLE_CONFIG) return `PORTHOLE_CONFIG=${env.PORTHOLE_CONFIG}`;
  if (env.REGISTRY_URL) return 'REGISTRY_URL';
  return CONFIG_FILES.find((name) => existsSync(join(cwd, name)));
}

/** Newest mtime (ms) of the files under `path`, skipping tests and dependency folders; 0 when absent. */
export function newestMtime(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return /\.(test|spec)\.[cm]?[jt]sx?$/.test(path) ? 0 : info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why a build is needed (`missing` or the first newer input), or undefined when `.next/BUILD_ID` is current. */
export function buildStaleness(root = ROOT) {
  let built;
  try {
    built = statSync(join(root, '.next', 'BUILD_ID')).mtimeMs;
  } catch {
    return 'missing';
  }
  return BUILD_INPUTS.find((input) => newestMtime(join(root, input)) > built);
}

/**
 * V8's old-space cap for the server, in MiB. Under the default cap (a quarter of the machine's memory, up to
 * 4 GiB) V8 lets the heap grow to up to four times what it held after its last full collection before the next;
 * under a cap below 2 GiB, to about twice. On the 20,000-tag view that held 95–130 MiB, the server's peak was
 * 393–443 MiB with the default and 320–323 MiB with this cap (docs/operations.md, "Memory").
 */
export const SERVER_HEAP_MIB = 1536;

/** NODE_OPTIONS for the server: `nodeOptions` with the heap cap added, unless it sets one itself. */
export function serverNodeOptions(nodeOptions = '') {
  if (/(^|\s)--max-old-space-size(=|\s|$)/.test(nodeOptions)) return nodeOptions;
  return `${nodeOptions} --max-old-space-size=${SERVER_HEAP_MIB}`.trim();
}

// No network beyond the registries: Next's telemetry stays off unless the user says otherwise.
const childEnv = { NEXT_TELEMETRY_DISABLED: '1', ...process.env };

/** Runs a child to completion with inherited stdio; rejects naming `step` on a non-zero exit. */
function run(step, command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env: childEnv });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${step} failed (${signal ?? `exit ${code}`})`))));
  });
}

async function main() {
  const config = detectConfig();
  if (config) {
    console.log(`start: configuration from ${config}`);
  } else {
    console.log('start: no configuration found, serving the demo registry');
    // Children share our working directory (npm runs scripts in the package root): the config files, the
    // demo's `data/demo` and the server all resolve against it.
    await run('demo generation', process.execPath, ['--conditions=react-server', '--import', 'tsx', join(ROOT, 'lib/demo/cli.ts')]);
  }

  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const stale = buildStaleness();
  if (stale) {
    console.log(stale === 'missing' ? 'start: no production build, building' : `start: ${stale} changed since the last build, rebuilding`);
    await run('next build', process.execPath, [nextBin, 'build', ROOT]);
  }

  const port = process.env.PORT || '3000';
  // tsx by its resolved URL: `--import tsx` would be looked up from the working directory.
  const tsx = import.meta.resolve('tsx');
  const server = spawn(process.execPath, ['--import', tsx, join(ROOT, 'scripts/serve.ts'), '--port', port], {
    stdio: 'inherit',
    // tsx resolves the `@/` imports through the project's tsconfig, wherever the working directory is.
    env: { NODE_ENV: 'production', TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), ...childEnv, NODE_OPTIONS: serverNodeOptions(childEnv.NODE_OPTIONS) },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (server.exitCode === null) server.kill(signal);
    });
  }
  server.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 : 1);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
