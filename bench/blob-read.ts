/**
 * Where the time of a blob download goes in Porthole's HTTP backend: one blob (random bytes, 200 MiB, or the
 * file given) in docker-registry on loopback, drained five times each by `curl -o /dev/null`, by undici alone,
 * by undici with SHA-256, and through `createHttpRegistry().getBlob` (verified, last chunk held back), with wall
 * and CPU time of this process and the chunk sizes undici delivers. Not part of `npm run bench`.
 * Run: node --conditions=react-server --import tsx bench/blob-read.ts [FILE]   (docs/performance.md)
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { request } from 'undici';
import { streamChunks } from '@/lib/layers/byte-streams';
import type { Digest } from '@/lib/oci/types';
import { createHttpRegistry } from '@/lib/registry/http';
import { startRegistry } from '@/lib/registry/testing/registry-server';
import { median } from './stats';

const run = promisify(execFile);
const RUNS = 5;
const REPO = 'bench/read';

async function measure(name: string, task: () => Promise<unknown>): Promise<void> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await task();
    const used = process.cpuUsage(cpu);
    walls.push(performance.now() - start);
    cpus.push((used.user + used.system) / 1000);
  }
  console.log(`${name.padEnd(34)} wall ${median(walls).toFixed(0).padStart(5)} ms   CPU here ${median(cpus).toFixed(0).padStart(5)} ms`);
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const bytes = file ? await readFile(file) : randomBytes(200 * 1024 * 1024);
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}` as Digest;
  const registry = await startRegistry();
  const client = createHttpRegistry({ url: registry.url });
  try {
    await client.pushBlob(REPO, { mediaType: 'application/octet-stream', digest, size: bytes.length }, bytes);
    const url = `${registry.url}/v2/${REPO}/blobs/${digest}`;
    console.log(`blob: ${(bytes.length / 1024 / 1024).toFixed(1)} MiB; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; median of ${RUNS}`);
    await measure('curl -o /dev/null', () => run('curl', ['-sf', '-o', '/dev/null', url]));
    await measure('undici request, drained', async () => {
      const response = await request(url);
      for await (const chunk of response.body) void chunk;
    });
    await measure('undici request + SHA-256', async () => {
      const response = await request(url);
      const hash = createHash('sha256');
      for await (const chunk of response.body) hash.update(chunk as Buffer);
      hash.digest('hex');
    });
    await measure('getBlob (verified), drained', async () => {
      const blob = await client.getBlob(REPO, digest);
      for await (const chunk of streamChunks(blob.body)) void chunk;
    });
    const sizes = new Map<number, number>();
    const blob = await client.getBlob(REPO, digest);
    for await (const chunk of streamChunks(blob.body)) sizes.set(chunk.length, (sizes.get(chunk.length) ?? 0) + 1);
    const common = [...sizes].sort((a, b) => b[1] - a[1])[0]!;
    console.log(`chunks: ${[...sizes.values()].reduce((a, b) => a + b, 0)}, most of them ${common[0]} bytes`);
  } finally {
    await client.close();
    await registry.stop();
  }
}

await main();
