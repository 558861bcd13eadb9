/**
 * `/v2` pull benchmark: `skopeo copy` of a 200 MiB image (config + 4 layers of 50 MiB) from Porthole's `/v2`
 * (layout source, the protocol server on a plain `node:http` server in a process of its own) versus from
 * docker-registry (distribution 2.8.2) serving the same content, both on loopback. Each figure is the median
 * of 5 pulls into a `dir:` destination; the server's RSS peak above its level before the pulls and each server's
 * CPU time per pull (from /proc: what a loaded machine has to find for it) are reported.
 * Run: node --conditions=react-server --import tsx bench/v2-pull.ts [--app] [--profile DIR]   (docs/performance.md)
 * `--app` pulls through the production app instead (scripts/serve.ts: Next.js behind the guarded server, with
 * the layout as a `serve: read` source; needs `npx next build` first). `--profile DIR` writes a V8 CPU profile
 * of Porthole's server process into DIR (open it in Chrome's DevTools).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createLayoutRegistry } from '@/lib/registry/layout';
import { blob, manifestOf } from '@/lib/registry/testing/build';
import { startRegistry } from '@/lib/registry/testing/registry-server';
import { skopeoCopy } from '@/lib/registry/testing/skopeo';
import { MediaType } from '@/lib/oci/media-types';
import { startPorthole } from '../e2e/support/porthole-server';
import { cpuTimeMs, treeMemory } from './memory';
import { median } from './stats';

const LAYERS = 4;
const LAYER_BYTES = 50 * 1024 * 1024;
const RUNS = 5;

function log(message: string): void {
  process.stdout.write(`[v2-pull ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function writeImage(dir: string): Promise<void> {
  const registry = createLayoutRegistry(dir, { durable: false });
  const layers = Array.from({ length: LAYERS }, () => blob(randomBytes(LAYER_BYTES), MediaType.OciLayerGzip));
  const config = blob(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.descriptor.digest) } }), MediaType.OciConfig);
  for (const b of [config, ...layers]) await registry.pushBlob('bench', b.descriptor, b.bytes);
  const manifest = manifestOf({ schemaVersion: 2, mediaType: MediaType.OciManifest, config: config.descriptor, layers: layers.map((l) => l.descriptor) }, MediaType.OciManifest);
  await registry.pushManifest('bench', manifest.bytes, manifest.mediaType, { tag: 'v1' });
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/** Porthole's side of the comparison: where to pull from, its process, and its RSS growth from `mark()`. */
interface PortholeSide {
  /** `host/repository:tag` to pull. */
  ref: string;
  pid: number;
  mark(): Promise<void>;
  peakAboveMark(): Promise<number>;
  stop(): Promise<void>;
}

function profileFlags(): string[] {
  const at = process.argv.indexOf('--profile');
  return at > 0 ? ['--cpu-prof', '--cpu-prof-dir', process.argv[at + 1]!] : [];
}

/** The protocol server alone, on node:http in a process of its own (lib/registry/server/testing/stack-process.ts). */
async function startStackSide(layout: string): Promise<PortholeSide> {
  const server = spawn(process.execPath, [...profileFlags(), '--conditions=react-server', '--import', 'tsx', 'lib/registry/server/testing/stack-process.ts'], { stdio: 'pipe' });
  const lines = createInterface({ input: server.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const ask = async (command: string) => {
    const answer = next();
    server.stdin.write(`${command}\n`);
    return Number((await answer).split(' ')[1]);
  };
  const host = new URL((await next()).replace(/^READY /, '')).host;
  await skopeoCopy(`oci:${layout}:v1`, `docker://${host}/lay/bench/app:v1`);
  return {
    ref: `${host}/lay/bench/app:v1`,
    pid: server.pid!,
    mark: async () => void (await ask('mark')),
    peakAboveMark: () => ask('peak'),
    stop: async () => void server.stdin.end(),
  };
}

/** The production app (scripts/serve.ts) with the layout directory as a `serve: read` source. */
async function startAppSide(layoutRoot: string): Promise<PortholeSide> {
  const app = await startPorthole({ sources: [{ name: 'lay', kind: 'layout', path: layoutRoot, serve: 'read' }] }, { nodeFlags: profileFlags() });
  const rss = () => treeMemory(app.pid).reduce((sum, m) => sum + m.rss, 0);
  let base = rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, rss())), 20);
  return {
    ref: `127.0.0.1:${app.port}/lay/bench:v1`,
    pid: app.pid,
    mark: async () => void (base = peak = rss()),
    peakAboveMark: async () => Math.max(peak, rss()) - base,
    stop: async () => {
      clearInterval(timer);
      await app.stop();
    },
  };
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'porthole-v2-bench-'));
  const viaApp = process.argv.includes('--app');
  const registry = await startRegistry({ delete: true });
  let porthole: PortholeSide | undefined;
  try {
    log('writing a 200 MiB image');
    await writeImage(join(work, 'layout'));
    const layout = join(work, 'layout', 'bench');
    porthole = viaApp ? await startAppSide(join(work, 'layout')) : await startStackSide(layout);
    await skopeoCopy(`oci:${layout}:v1`, `docker://${registry.host}/bench/app:v1`);
    const pull = (source: string) => async () => {
      const dest = join(work, `pull-${Math.random().toString(36).slice(2)}`);
      await skopeoCopy(`docker://${source}`, `dir:${dest}`);
      await rm(dest, { recursive: true, force: true });
    };
    const times: Record<'porthole' | 'registry', number[]> = { porthole: [], registry: [] };
    const cpu: Record<'porthole' | 'registry', number[]> = { porthole: [], registry: [] };
    /** Wall time of one pull, and the CPU time the serving process spent meanwhile. */
    const measured = async (side: 'porthole' | 'registry', pid: number, action: () => Promise<unknown>) => {
      const before = cpuTimeMs([pid]);
      times[side].push(await timed(action));
      cpu[side].push(cpuTimeMs([pid]) - before);
    };
    // One pull first, unmeasured: the app loads its route code and fills its caches on the first request.
    await pull(porthole.ref)();
    await porthole.mark();
    for (let i = 0; i < RUNS; i++) {
      // Alternate, so that a burst of load from elsewhere on the machine hits both sides alike.
      await measured('porthole', porthole.pid, pull(porthole.ref));
      await measured('registry', registry.pid!, pull(`${registry.host}/bench/app:v1`));
      log(`run ${i + 1}: porthole ${times.porthole.at(-1)!.toFixed(0)} ms (server CPU ${cpu.porthole.at(-1)} ms), docker-registry ${times.registry.at(-1)!.toFixed(0)} ms (CPU ${cpu.registry.at(-1)} ms)`);
    }
    const peak = await porthole.peakAboveMark();
    const portholeMs = median(times.porthole);
    const upstream = median(times.registry);
    const result = {
      image: `${(LAYERS * LAYER_BYTES) / 1024 / 1024} MiB in ${LAYERS} layers`,
      porthole: viaApp ? 'production app (scripts/serve.ts)' : 'protocol server on node:http',
      runs: RUNS,
      portholeMedianMs: Math.round(portholeMs),
      registryMedianMs: Math.round(upstream),
      ratio: Number((portholeMs / upstream).toFixed(2)),
      portholeServerCpuMs: median(cpu.porthole),
      registryServerCpuMs: median(cpu.registry),
      loadAverage: loadavg().map((x) => x.toFixed(2)).join(' '),
      serverRssPeakAboveStartMiB: Math.round(peak / 1024 / 1024),
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await porthole?.stop();
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
