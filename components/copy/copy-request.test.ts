/**
 * The batch runner over `POST /api/copy` with the browser's fetch replaced: what a real server does not do on
 * purpose (a stream cut off before its result line) and the order of calls. The real endpoint is exercised by
 * e2e/copy-dialog.spec.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchReducer, copyJobs, initialBatch, type CopyBatch, type CopyBatchEvent } from './copy-batch';
import { runCopies } from './copy-request';

const D = `sha256:${'e'.repeat(64)}`;
const result = { type: 'result', digest: D, mediaType: 'application/vnd.oci.image.manifest.v1+json', manifests: [], referrers: [], blobs: { sent: 1, skipped: 0, mounted: 0 }, bytesSent: 1 };

function ndjson(lines: unknown[]): Response {
  return new Response(lines.map((l) => JSON.stringify(l)).join('\n') + '\n', { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
}

async function run(responses: Response[]): Promise<{ state: CopyBatch; sent: unknown[] }> {
  const sent: unknown[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    sent.push(JSON.parse(String(init.body)));
    return responses.shift() ?? new Response('{}', { status: 500 });
  });
  let state = initialBatch;
  const jobs = copyJobs('demo', 'app', ['a', 'b', 'c'].map((t) => ({ reference: `:${t}`, tag: t, label: t })), 'prod', 'app');
  await runCopies(jobs, true, (event: CopyBatchEvent) => (state = batchReducer(state, event)));
  return { state, sent };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('runCopies', () => {
  it('sends the copies one after the other and ends done with every result', async () => {
    const { state, sent } = await run([ndjson([result]), ndjson([result]), ndjson([result])]);
    expect(sent.map((b) => (b as { to: string }).to)).toEqual(['prod/app:a', 'prod/app:b', 'prod/app:c']);
    expect(state.phase).toBe('done');
    expect(state.done).toHaveLength(3);
  });

  it('stops after a refusal: nothing after it is sent', async () => {
    const refusal = new Response(JSON.stringify({ errors: [{ code: 'DENIED', message: 'no writing' }] }), { status: 403 });
    const { state, sent } = await run([ndjson([result]), refusal]);
    expect(sent).toHaveLength(2);
    expect(state.phase).toBe('error');
    expect(state.error).toEqual({ code: 'DENIED', message: 'no writing', label: 'b' });
  });

  it('calls a stream that ends without a result or an error line an error, and stops', async () => {
    const { state, sent } = await run([ndjson([{ type: 'plan', manifests: 1, blobs: 1, bytes: 10 }])]);
    expect(sent).toHaveLength(1);
    expect(state.phase).toBe('error');
    expect(state.error).toMatchObject({ code: 'UNKNOWN', message: 'the copy ended without a result', label: 'a' });
  });

  it('stops when cancelled mid-copy: the request is cut off, nothing more is sent, the interrupted copy is named', async () => {
    const controller = new AbortController();
    const sent: string[] = [];
    let cutOff = false;
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      sent.push((JSON.parse(String(init.body)) as { to: string }).to);
      if (sent.length === 1) return ndjson([result]);
      // The second copy streams its plan, then hangs until the request is aborted (as a real stream would).
      const signal = init.signal!;
      const body = new ReadableStream<Uint8Array>({
        start(stream) {
          stream.enqueue(new TextEncoder().encode(`${JSON.stringify({ type: 'plan', manifests: 1, blobs: 1, bytes: 10 })}\n`));
          signal.addEventListener('abort', () => {
            cutOff = true;
            stream.error(signal.reason);
          });
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
    });
    let state = initialBatch;
    const jobs = copyJobs('demo', 'app', ['a', 'b', 'c'].map((t) => ({ reference: `:${t}`, tag: t, label: t })), 'prod', 'app');
    const running = runCopies(jobs, true, (event: CopyBatchEvent) => {
      state = batchReducer(state, event);
      if (event.type === 'stream' && event.event.type === 'plan' && event.job.label === 'b') controller.abort();
    }, controller.signal);
    await running;
    expect(cutOff).toBe(true);
    expect(sent).toEqual(['prod/app:a', 'prod/app:b']);
    expect(state.phase).toBe('cancelled');
    expect(state.interrupted).toBe('b');
    expect(state.done.map((d) => d.job.label)).toEqual(['a']);
  });

  it('stops between copies when cancelled after one finished, naming no interrupted copy', async () => {
    const controller = new AbortController();
    const sent: unknown[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      sent.push(init.body);
      return ndjson([result]);
    });
    let state = initialBatch;
    const jobs = copyJobs('demo', 'app', ['a', 'b'].map((t) => ({ reference: `:${t}`, tag: t, label: t })), 'prod', 'app');
    await runCopies(jobs, true, (event: CopyBatchEvent) => {
      state = batchReducer(state, event);
      if (event.type === 'stream' && event.event.type === 'result') controller.abort();
    }, controller.signal);
    expect(sent).toHaveLength(1);
    expect(state.phase).toBe('cancelled');
    expect(state.interrupted).toBeUndefined();
    expect(state.done).toHaveLength(1);
  });
});
