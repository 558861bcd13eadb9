/**
 * Streaming, not buffering: a 300 MiB blob pushed in one chunked upload and pulled back through `/v2` (layout
 * source, served by a process of its own) raises the server's RSS by far less than the blob's size.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { trackChild } from '@/lib/registry/testing/exec';

const SIZE = 300 * 1024 * 1024;
const CHUNK = 1024 * 1024;
let server: ChildProcessWithoutNullStreams;
let lines: Interface;
let url: string;
const pending: ((line: string) => void)[] = [];

/** The next stdout line of the server process. */
function nextLine(): Promise<string> {
  return new Promise((resolve) => pending.push(resolve));
}

beforeAll(async () => {
  server = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'lib/registry/server/testing/stack-process.ts'], { stdio: 'pipe' });
  trackChild(server);
  lines = createInterface({ input: server.stdout });
  lines.on('line', (line) => pending.shift()?.(line));
  const ready = await nextLine();
  url = ready.replace(/^READY /, '');
});
afterAll(async () => {
  server.stdin.end();
  await new Promise((resolve) => server.once('exit', resolve));
});

async function ask(command: 'mark' | 'peak'): Promise<number> {
  const answer = nextLine();
  server.stdin.write(`${command}\n`);
  return Number((await answer).split(' ')[1]);
}

/** `SIZE` bytes of a repeating pattern, made on the fly. */
function generated(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= SIZE) return controller.close();
      const chunk = new Uint8Array(CHUNK);
      for (let i = 0; i < CHUNK; i += 4096) chunk[i] = (sent / CHUNK + i) & 0xff;
      sent += CHUNK;
      controller.enqueue(chunk);
    },
  });
}

async function digestOfGenerated(): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of generated() as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}

it('pushes and pulls a 300 MiB blob with RSS growing by less than 150 MiB', { timeout: 300_000 }, async () => {
  const digest = await digestOfGenerated();
  await ask('mark');
  {
    const started = await fetch(`${url}/v2/lay/big/app/blobs/uploads/`, { method: 'POST' });
    const location = started.headers.get('location')!;
    const patch = await fetch(`${url}${location}`, { method: 'PATCH', body: generated(), duplex: 'half' } as RequestInit);
    expect([patch.status, patch.headers.get('range')]).toEqual([202, `0-${SIZE - 1}`]);
    const put = await fetch(`${url}${location}?digest=${digest}`, { method: 'PUT' });
    expect(put.status).toBe(201);
    const pulled = await fetch(`${url}/v2/lay/big/app/blobs/${digest}`);
    expect(pulled.headers.get('content-length')).toBe(String(SIZE));
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of pulled.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
    expect([size, `sha256:${hash.digest('hex')}`]).toEqual([SIZE, digest]);
  }
  const growth = (await ask('peak')) / 1024 / 1024;
  expect(growth, `RSS grew by ${growth.toFixed(0)} MiB`).toBeLessThan(150);
});
