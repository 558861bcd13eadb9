import { describe, expect, it } from 'vitest';
import { ndjsonEvents } from '@/lib/api/ndjson';
import { copyReducer, initialProgress, notJson, progressRatio, type CopyStreamEvent } from './copy-progress';

const D = `sha256:${'a'.repeat(64)}` as const;

describe('copy progress', () => {
  it('folds plan, progress, manifest, tag and result events into the bar and the result', () => {
    const events: CopyStreamEvent[] = [
      { type: 'plan', manifests: 2, blobs: 3, bytes: 1000 },
      { type: 'blob', digest: D, size: 400, action: 'sent' },
      { type: 'progress', bytesDone: 400, bytesTotal: 1000, itemsDone: 1, itemsTotal: 5 },
      { type: 'manifest', digest: D, mediaType: 'application/vnd.oci.image.manifest.v1+json', action: 'sent', role: 'root' },
      { type: 'tag', tag: 'v1', digest: D },
    ];
    let state = copyReducer(initialProgress, { type: 'start' });
    expect(state.phase).toBe('running');
    state = copyReducer(state, events[0]!);
    expect(state).toMatchObject({ bytesTotal: 1000, itemsTotal: 5 });
    for (const event of events.slice(1)) state = copyReducer(state, event);
    expect(state).toMatchObject({ phase: 'running', bytesDone: 400, itemsDone: 1, manifests: 1, tag: 'v1' });
    expect(progressRatio(state)).toBeCloseTo(0.4);

    const result = { digest: D, mediaType: 'application/vnd.oci.image.manifest.v1+json', tag: 'v1', manifests: [], referrers: [], blobs: { sent: 3, skipped: 0, mounted: 0 }, bytesSent: 1000 };
    state = copyReducer(state, { type: 'result', ...result });
    expect(state.phase).toBe('done');
    expect(state.result).toEqual(result);
    expect(progressRatio(state)).toBe(1);
  });

  it('counts items when there are no bytes to send, and reports an error event', () => {
    let state = copyReducer(copyReducer(initialProgress, { type: 'start' }), { type: 'plan', manifests: 4, blobs: 0, bytes: 0 });
    state = copyReducer(state, { type: 'progress', bytesDone: 0, bytesTotal: 0, itemsDone: 1, itemsTotal: 4 });
    expect(progressRatio(state)).toBe(0.25);
    state = copyReducer(state, { type: 'error', error: { code: 'DENIED', message: 'source "prod" does not allow writing' } });
    expect(state).toMatchObject({ phase: 'error', error: { code: 'DENIED', message: 'source "prod" does not allow writing' } });
  });

  it('reads the stream across chunk boundaries and turns a bad line into an error event', async () => {
    const chunks = ['{"type":"plan","manifests":1,"blobs":1,"bytes":5}\n{"type":"prog', 'ress","bytesDone":5,"bytesTotal":5,"itemsDone":2,"itemsTotal":2}\n\nnot json\n'];
    const body = new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull: (controller) => (chunks.length ? controller.enqueue(new TextEncoder().encode(chunks.shift()!)) : controller.close()),
    });
    const events: CopyStreamEvent[] = [];
    for await (const event of ndjsonEvents(body, notJson)) events.push(event);
    expect(events[0]).toEqual({ type: 'plan', manifests: 1, blobs: 1, bytes: 5 });
    expect(events[1]).toEqual({ type: 'progress', bytesDone: 5, bytesTotal: 5, itemsDone: 2, itemsTotal: 2 });
    expect(events[2]).toMatchObject({ type: 'error', error: { code: 'UNKNOWN' } });
    expect(events).toHaveLength(3);
  });
});
