/**
 * `npm run bench:layers`: the checkpoint index against the tools, on a ~200 MiB gzip layer in a real registry
 * (distribution 2.8.2 on loopback). Measures, each the median of 3 runs:
 *   - listing: Porthole's table of contents (cold, no cache)  vs  `curl …/blobs/D | tar -tzf -`   (target ≤ 1.2x),
 *     wall time, CPU time and Porthole's voluntary context switches (on a loaded machine a 3-process pipeline
 *     gets more CPU share than one process, and each hand-off between Porthole's threads waits for a time slice)
 *   - opening a file at the end, after indexing (checkpoints ready)  vs  `curl …/blobs/D | tar -xzf - FILE -O`   (target ≤ 0.1x)
 * and the one-off background cost of building the checkpoints. The layer is a tar of system directories
 * (`/usr/bin`, `/usr/share/doc`, `/usr/share/locale`, cut to the wanted size) plus a small file at its end;
 * `--layer FILE.tar.gz` reuses that layer (and saves the one it makes there when the file does not exist). Figures are written to docs/files.md by hand.
 *
 * Run with the react-server condition (it imports server modules): see package.json.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { clearCheckpointMemory, ensureCheckpoints } from '@/lib/layers/checkpoint-index';
import { clearLayerMemory, getLayerIndex } from '@/lib/layers/layer-index';
import { storeKey } from '@/lib/layers/disk-store';
import { layerLimits } from '@/lib/layers/limits';
import { openLayerFile } from '@/lib/layers/read-file';
import { MediaType } from '@/lib/oci/media-types';
import type { Digest } from '@/lib/oci/types';
import { tieredStore } from '@/lib/registry/cache/content-store';
import { verifyContent } from '@/lib/registry/cache/verify';
import { createHttpRegistry } from '@/lib/registry/http';
import { diskTier } from '@/lib/server/content-cache/disk-tier';
import { relativePathOf } from '@/lib/server/content-cache/key-path';
import { writeLayerImage } from '@/lib/layers/testing/layer-image';
import { startRegistry } from '@/lib/registry/testing/registry-server';
import { pushLayoutImage } from '@/lib/registry/testing/skopeo';

const run = promisify(execFile);
const REPO = 'bench/layer';
const NEEDLE = 'zz-needle/needle.txt';
const TARGET_BYTES = 200 * 1024 * 1024;
const RUNS = 3;

function log(message: string): void {
  process.stdout.write(`[bench:layers ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

interface Timing {
  /** Wall-clock milliseconds. */
  wall: number;
  /** CPU milliseconds (user + system) of the work: this process for Porthole, the pipeline's processes for the tools. */
  cpu: number;
  /**
   * Times a thread of this process went to sleep waiting (voluntary context switches, all threads; Porthole only).
   * Each one costs a wait for the scheduler on a busy machine; unlike wall time the count does not depend on load.
   */
  switches?: number;
}

/** Voluntary context switches of every thread of this process so far (Linux `/proc`). */
function voluntarySwitches(): number {
  let total = 0;
  for (const task of readdirSync('/proc/self/task')) {
    try {
      const status = readFileSync(`/proc/self/task/${task}/status`, 'utf8');
      total += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return total;
}

/** Runs `task` and measures wall time, this process's CPU time (zlib's thread pool included) and its sleeps. */
async function measure(task: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const switches = voluntarySwitches();
  const start = performance.now();
  await task();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000, switches: voluntarySwitches() - switches };
}

/** The median run by wall time of RUNS runs. */
async function median(task: () => Promise<Timing>): Promise<Timing> {
  const runs: Timing[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await task());
  runs.sort((a, b) => a.wall - b.wall);
  return runs[Math.floor(RUNS / 2)]!;
}

function parseSeconds(text: string): number {
  const match = /(\d+)m([\d.]+)s/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : 0;
}

/**
 * `curl -s URL | tar ARGS`, through a shell pipe like a person would type it; CPU time from the shell's
 * `times` (user and system time of its children).
 */
function pipeline(url: string, tarArgs: string): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('bash', ['-c', `curl -sf '${url}' | tar ${tarArgs} > /dev/null; times`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      const wall = performance.now() - start;
      if (code !== 0) return reject(new Error(`pipeline exited ${code}`));
      const children = out.trim().split('\n').at(-1)!.split(/\s+/);
      resolve({ wall, cpu: (parseSeconds(children[0]!) + parseSeconds(children[1]!)) * 1000 });
    });
  });
}

/** A gzip layer of about TARGET_BYTES made by GNU tar and gzip -6, with NEEDLE as its last entry. */
async function makeLayer(dir: string): Promise<Buffer> {
  const extra = join(dir, 'extra');
  await mkdir(join(extra, 'zz-needle'), { recursive: true });
  await writeFile(join(extra, NEEDLE), 'the needle at the end of the layer\n');
  const list = join(dir, 'files.txt');
  // Pick files until the uncompressed size is about 2.7 x the target (system files compress about that much).
  const { stdout } = await run('sh', ['-c', 'find usr/bin usr/share/doc usr/share/locale -type f -printf "%s %p\\n" | sort -k2'], { cwd: '/', maxBuffer: 256 * 1024 * 1024 });
  let total = 0;
  const chosen: string[] = [];
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    total += Number(line.slice(0, space));
    chosen.push(line.slice(space + 1));
    if (total > TARGET_BYTES * 2.7) break;
  }
  await writeFile(list, chosen.join('\n'));
  const out = join(dir, 'layer.tar.gz');
  await run('sh', ['-c', `tar -cf - -C / -T '${list}' -C '${extra}' '${NEEDLE}' | gzip -6 -n > '${out}'`], { maxBuffer: 1024 });
  return readFile(out);
}

async function main(): Promise<void> {
  const layerArg = process.argv.indexOf('--layer');
  const dir = await mkdtemp(join(tmpdir(), 'porthole-bench-layers-'));
  const registry = await startRegistry();
  try {
    log('making the layer');
    const keep = layerArg > 0 ? process.argv[layerArg + 1] : undefined;
    const blob = keep && existsSync(keep) ? await readFile(keep) : await makeLayer(dir);
    if (keep && !existsSync(keep)) await writeFile(keep, blob);
    log(`layer: ${(blob.length / 1024 / 1024).toFixed(1)} MiB gzip`);
    const { layers } = await writeLayerImage(join(dir, 'layout'), 'v1', [{ blob, mediaType: MediaType.OciLayerGzip }]);
    await pushLayoutImage(registry, join(dir, 'layout'), 'v1', REPO);
    const digest = layers[0]!.digest as Digest;
    const url = `${registry.url}/v2/${REPO}/blobs/${digest}`;
    const client = createHttpRegistry({ url: registry.url });
    const options = { limits: layerLimits() };

    log('curl | tar -tzf -');
    const curlList = await median(() => pipeline(url, '-tzf -'));
    log('Porthole table of contents (cold)');
    const list = await median(() =>
      measure(async () => {
        clearLayerMemory();
        await getLayerIndex(client, REPO, digest, options);
      }),
    );
    const layer = await getLayerIndex(client, REPO, digest, options);
    const tarSize = layer.toc.tarSize;

    log('checkpoints (one-off, in the background in the app)');
    const cacheDir = join(dir, 'data', 'cache');
    const store = tieredStore([diskTier({ root: cacheDir, maxBytes: 1024 ** 3 })], { verify: verifyContent });
    clearCheckpointMemory();
    let points: unknown[] | undefined;
    const checkpointBuild = await measure(async () => {
      points = await ensureCheckpoints(client, REPO, digest, tarSize, { ...options, store });
    });

    log(`curl | tar -xzf - ${NEEDLE}`);
    const curlOpen = await median(() => pipeline(url, `-xzf - -O '${NEEDLE}'`));
    const index = layer.toc.entries.findIndex((e) => e.path === NEEDLE);
    let path = '';
    log('Porthole open (checkpoints ready)');
    const open = await median(() =>
      measure(async () => {
        const file = await openLayerFile(client, REPO, digest, layer, index, { ...options, store });
        path = file.path;
        await new Response(file.body).text();
      }),
    );
    await client.close();

    const stored = await stat(join(cacheDir, relativePathOf(storeKey(digest, 'zran')))).then((s) => s.size, () => 0);
    const result = {
      date: new Date().toISOString(),
      load: loadavg().map((x) => x.toFixed(2)).join(' '),
      layerMiB: +(blob.length / 1024 / 1024).toFixed(1),
      tarMiB: +(tarSize / 1024 / 1024).toFixed(1),
      entries: layer.toc.entries.length,
      listMs: Math.round(list.wall),
      listCpuMs: Math.round(list.cpu),
      curlListMs: Math.round(curlList.wall),
      curlListCpuMs: Math.round(curlList.cpu),
      listRatio: +(list.wall / curlList.wall).toFixed(2),
      listCpuRatio: +(list.cpu / curlList.cpu).toFixed(2),
      listVoluntarySwitches: list.switches,
      openMs: Math.round(open.wall),
      openPath: path,
      curlOpenMs: Math.round(curlOpen.wall),
      openRatio: +(open.wall / curlOpen.wall).toFixed(3),
      checkpointBuildMs: Math.round(checkpointBuild.wall),
      checkpointBuildCpuMs: Math.round(checkpointBuild.cpu),
      checkpoints: points?.length ?? 0,
      checkpointFileMiB: +(stored / 1024 / 1024).toFixed(1),
    };
    console.log(JSON.stringify(result, null, 2));
    await mkdir('bench/results', { recursive: true });
    await writeFile(`bench/results/layers-${result.date.slice(0, 10)}.json`, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
