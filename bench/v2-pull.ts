/**
 * `/v2` pull benchmark: `skopeo copy` of a 200 MiB image (config + 4 layers of 50 MiB) from Porthole's `/v2`
 * (layout source, the protocol server on a plain `node:http` server in a process of its own) versus from
 * docker-registry (distribution 2.8.2) serving the same content, both on loopback. Each figure is the median
 * of 5 pulls into a `dir:` destination; the server's RSS peak above its level before the pulls and each server's
 * CPU time per pull (from /proc: what a loaded machine has to find for it) are reported.
 * Run: node --conditions=react-server --import tsx bench/v2-pull.ts [--profile DIR]   (docs/performance.md)
 * `--profile DIR` writes a V8 CPU profile of Porthole's server process into DIR (open it in Chrome's DevTools).
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
import { cpuTimeMs } from './memory';
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

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'porthole-v2-bench-'));
  const profile = process.argv.indexOf('--profile');
  const profileFlags = profile > 0 ? ['--cpu-prof', '--cpu-prof-dir', process.argv[profile + 1]!] : [];
  const server = spawn(process.execPath, [...profileFlags, '--conditions=react-server', '--import', 'tsx', 'lib/registry/server/testing/stack-process.ts'], { stdio: 'pipe' });
  const lines = createInterface({ input: server.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const ask = async (command: string) => {
    const answer = next();
    server.stdin.write(`${command}\n`);
    return Number((await answer).split(' ')[1]);
  };
  const registry = await startRegistry({ delete: true });
  try {
    const url = (await next()).replace(/^READY /, '');
    const host = new URL(url).host;
    log('writing a 200 MiB image');
    await writeImage(join(work, 'layout'));
    await skopeoCopy(`oci:${join(work, 'layout', 'bench')}:v1`, `docker://${host}/lay/bench/app:v1`);
    await skopeoCopy(`oci:${join(work, 'layout', 'bench')}:v1`, `docker://${registry.host}/bench/app:v1`);
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
    await ask('mark');
    for (let i = 0; i < RUNS; i++) {
      // Alternate, so that a burst of load from elsewhere on the machine hits both sides alike.
      await measured('porthole', server.pid!, pull(`${host}/lay/bench/app:v1`));
      await measured('registry', registry.pid!, pull(`${registry.host}/bench/app:v1`));
      log(`run ${i + 1}: porthole ${times.porthole.at(-1)!.toFixed(0)} ms (server CPU ${cpu.porthole.at(-1)} ms), docker-registry ${times.registry.at(-1)!.toFixed(0)} ms (CPU ${cpu.registry.at(-1)} ms)`);
    }
    const peak = await ask('peak');
    const porthole = median(times.porthole);
    const upstream = median(times.registry);
    const result = {
      image: `${(LAYERS * LAYER_BYTES) / 1024 / 1024} MiB in ${LAYERS} layers`,
      runs: RUNS,
      portholeMedianMs: Math.round(porthole),
      registryMedianMs: Math.round(upstream),
      ratio: Number((porthole / upstream).toFixed(2)),
      portholeServerCpuMs: median(cpu.porthole),
      registryServerCpuMs: median(cpu.registry),
      loadAverage: loadavg().map((x) => x.toFixed(2)).join(' '),
      serverRssPeakAboveStartMiB: Math.round(peak / 1024 / 1024),
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    server.stdin.end();
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
