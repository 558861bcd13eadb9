import { describe, expect, it, vi } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { ndjsonResponse, NDJSON, wantsNdjson, WRITE_INTERVAL_MS } from './ndjson';

async function lines(response: Response): Promise<unknown[]> {
  const text = await response.text();
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
}

describe('ndjsonResponse', () => {
  it('streams every emitted event as one JSON line, with the NDJSON headers', async () => {
    const response = ndjsonResponse<{ type: 'n'; n: number }>('test', async (emit) => {
      emit({ type: 'n', n: 1 });
      await Promise.resolve();
      emit({ type: 'n', n: 2 });
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(`${NDJSON}; charset=utf-8`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await lines(response)).toEqual([
      { type: 'n', n: 1 },
      { type: 'n', n: 2 },
    ]);
  });

  it('ends with an error line in the wire format when the work fails', async () => {
    const response = ndjsonResponse<{ type: 'n' }>('test', async (emit) => {
      emit({ type: 'n' });
      throw new RegistryError('DENIED', 'no');
    });
    expect(await lines(response)).toEqual([{ type: 'n' }, { type: 'error', error: { code: 'DENIED', message: 'no' } }]);
  });

  it('hides unexpected errors behind UNKNOWN', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const response = ndjsonResponse('test', async () => {
        throw new Error('secret internals');
      });
      const [line] = (await lines(response)) as [{ type: string; error: { code: string; message: string } }];
      expect(line.type).toBe('error');
      expect(line.error.code).toBe('UNKNOWN');
      expect(line.error.message).not.toContain('secret internals');
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
  });

  it('logs nothing when the work stopped because the client went away', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const left = new AbortController();
      left.abort();
      const response = ndjsonResponse('test', async () => {
        left.signal.throwIfAborted();
      });
      expect(await lines(response)).toEqual([{ type: 'error', error: { code: 'UNAVAILABLE', message: 'the request was aborted' } }]);
    } finally {
      console.error = original;
    }
    expect(errors).toEqual([]);
  });

  it('keeps the work running when the client cancels the stream', async () => {
    let finished = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const response = ndjsonResponse<{ type: 'n' }>('test', async (emit) => {
      await gate;
      emit({ type: 'n' });
      finished = true;
    });
    await response.body!.cancel();
    release();
    await gate;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(finished).toBe(true);
  });
});

describe('wantsNdjson', () => {
  it('reads the Accept header', () => {
    expect(wantsNdjson(new Request('http://x/', { headers: { accept: 'application/x-ndjson' } }))).toBe(true);
    expect(wantsNdjson(new Request('http://x/', { headers: { accept: 'application/json' } }))).toBe(false);
    expect(wantsNdjson(new Request('http://x/'))).toBe(false);
  });
});

describe('ndjsonResponse pace', () => {
  it('holds work that awaits emit while the client does not read, and resumes it as the client reads', async () => {
    let emitted = 0;
    let finished = false;
    const response = ndjsonResponse<{ type: 'n'; n: number }>('test', async (emit) => {
      for (let n = 0; n < 1_000; n++) {
        await emit({ type: 'n', n });
        emitted++;
      }
      finished = true;
    });
    // Nobody reads: the work stops once the stream's buffer (256 events) is full.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(emitted).toBeGreaterThan(0);
    expect(emitted).toBeLessThanOrEqual(256);
    expect(finished).toBe(false);
    const text = await response.text();
    expect(finished).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(1_000);
  });

  it('ends every wait when the client goes away', async () => {
    let finished = false;
    const response = ndjsonResponse<{ type: 'n' }>('test', async (emit) => {
      for (let n = 0; n < 1_000; n++) await emit({ type: 'n' });
      finished = true;
    });
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    await response.body!.cancel();
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(true);
  });

  it('writes the lines of one event-loop turn as one chunk, and a line emitted alone at the end of its turn', async () => {
    let later: (() => void) | undefined;
    const response = ndjsonResponse<{ type: 'n'; n: number }>('test', async (emit) => {
      for (let n = 0; n < 3; n++) void emit({ type: 'n', n });
      await new Promise<void>((resolve) => (later = resolve));
      await emit({ type: 'n', n: 3 });
    });
    const reader = response.body!.getReader();
    const decode = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk).trimEnd().split('\n');
    expect(decode((await reader.read()).value)).toHaveLength(3);
    later!();
    expect(decode((await reader.read()).value)).toEqual(['{"type":"n","n":3}']);
    expect((await reader.read()).done).toBe(true);
  });

  it('writes at most one chunk per interval while lines keep coming, and what waits as soon as the work ends', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
    try {
      const steps: (() => void)[] = [];
      const step = () => new Promise<void>((resolve) => steps.push(resolve));
      const response = ndjsonResponse<{ type: 'n'; n: number }>('test', async (emit) => {
        void emit({ type: 'n', n: 0 });
        for (let n = 1; n <= 5; n++) {
          await step();
          void emit({ type: 'n', n });
        }
        await step();
      });
      const reader = response.body!.getReader();
      const decode = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk).trimEnd().split('\n').map((line) => (JSON.parse(line) as { n: number }).n);
      // The first line: at the end of its turn.
      await vi.advanceTimersByTimeAsync(0);
      expect(decode((await reader.read()).value)).toEqual([0]);
      // Three lines 10 ms apart wait for the interval since that write, then go out as one chunk.
      let written: Uint8Array | undefined;
      const next = reader.read().then((read) => (written = read.value));
      for (let i = 0; i < 3; i++) {
        steps.shift()!();
        await vi.advanceTimersByTimeAsync(10);
      }
      await vi.advanceTimersByTimeAsync(WRITE_INTERVAL_MS - 31);
      expect(written).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await next;
      expect(decode(written)).toEqual([1, 2, 3]);
      // Two more within the next interval, then the end: written at once, without waiting for the interval.
      steps.shift()!();
      await vi.advanceTimersByTimeAsync(10);
      steps.shift()!();
      await vi.advanceTimersByTimeAsync(10);
      steps.shift()!();
      await vi.advanceTimersByTimeAsync(0);
      expect(decode((await reader.read()).value)).toEqual([4, 5]);
      expect((await reader.read()).done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
