import { describe, expect, it } from 'vitest';
import type { CopyResult } from '@/lib/registry/copy/types';
import { batchRatio, batchReducer, batchTotals, copyJobs, initialBatch, type CopyBatch, type CopyBatchEvent } from './copy-batch';

const D1 = `sha256:${'1'.repeat(64)}` as const;
const D2 = `sha256:${'2'.repeat(64)}` as const;

function result(digest: typeof D1, tag: string, sent: number): CopyResult {
  return {
    digest,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    tag,
    manifests: [{ digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', role: 'root', action: 'sent' }],
    referrers: [],
    blobs: { sent, skipped: 1, mounted: 0 },
    bytesSent: 100,
  };
}

const fold = (events: CopyBatchEvent[], from: CopyBatch = initialBatch) => events.reduce(batchReducer, from);

describe('copy jobs', () => {
  it('keeps each tag\'s name for several items, and takes the edited tag (or none) for one', () => {
    const items = [
      { reference: `:v1@${D1}`, tag: 'v1', label: 'v1' },
      { reference: ':v2', tag: 'v2', label: 'v2' },
    ];
    expect(copyJobs('demo', 'team/app', items, 'prod', 'promoted/app', 'ignored').map((j) => [j.from, j.to])).toEqual([
      [`demo/team/app:v1@${D1}`, 'prod/promoted/app:v1'],
      ['demo/team/app:v2', 'prod/promoted/app:v2'],
    ]);
    const one = [{ reference: `@${D1}`, tag: '1.0', label: 'x' }];
    expect(copyJobs('demo', 'a', one, 'prod', 'b', 'latest')[0]!.to).toBe('prod/b:latest');
    expect(copyJobs('demo', 'a', one, 'prod', 'b', undefined)[0]!.to).toBe('prod/b');
  });
});

describe('copy batch', () => {
  const jobs = copyJobs('demo', 'app', [{ reference: ':v1', tag: 'v1', label: 'v1' }, { reference: ':v2', tag: 'v2', label: 'v2' }], 'prod', 'app');

  it('runs through the copies on one bar: half way after the first, done with both results summed', () => {
    let state = fold([{ type: 'start', jobs: 2 }, { type: 'job', index: 0 }]);
    expect(state).toMatchObject({ phase: 'running', jobs: 2, index: 0 });
    state = fold([{ type: 'stream', job: jobs[0]!, event: { type: 'progress', bytesDone: 50, bytesTotal: 100, itemsDone: 1, itemsTotal: 2 } }], state);
    expect(batchRatio(state)).toBe(0.25);
    state = fold([{ type: 'stream', job: jobs[0]!, event: { type: 'result', ...result(D1, 'v1', 2) } }, { type: 'job', index: 1 }], state);
    expect(state.phase).toBe('running');
    expect(batchRatio(state)).toBe(0.5);
    state = fold([{ type: 'stream', job: jobs[1]!, event: { type: 'result', ...result(D2, 'v2', 3) } }], state);
    expect(state.phase).toBe('done');
    expect(batchRatio(state)).toBe(1);
    expect(state.done.map((d) => [d.job.label, d.result.digest])).toEqual([['v1', D1], ['v2', D2]]);
    expect(batchTotals(state)).toEqual({ manifests: 2, referrers: 0, sent: 5, skipped: 2, mounted: 0 });
  });

  it('stops on an error, naming the tag, and keeps what was copied before it', () => {
    const state = fold([
      { type: 'start', jobs: 2 },
      { type: 'job', index: 0 },
      { type: 'stream', job: jobs[0]!, event: { type: 'result', ...result(D1, 'v1', 1) } },
      { type: 'job', index: 1 },
      { type: 'stream', job: jobs[1]!, event: { type: 'error', error: { code: 'MANIFEST_UNKNOWN', message: 'tag v2 has moved' } } },
    ]);
    expect(state.phase).toBe('error');
    expect(state.error).toEqual({ code: 'MANIFEST_UNKNOWN', message: 'tag v2 has moved', label: 'v2' });
    expect(state.done).toHaveLength(1);
    expect(batchRatio(state)).toBe(0.5);
  });

  it('is cancelled only while running: keeps the finished copies, names the interrupted one, drops its share', () => {
    const running = fold([
      { type: 'start', jobs: 2 },
      { type: 'job', index: 0 },
      { type: 'stream', job: jobs[0]!, event: { type: 'result', ...result(D1, 'v1', 1) } },
      { type: 'job', index: 1 },
      { type: 'stream', job: jobs[1]!, event: { type: 'plan', manifests: 1, blobs: 2, bytes: 100 } },
      { type: 'stream', job: jobs[1]!, event: { type: 'progress', bytesDone: 50, bytesTotal: 100, itemsDone: 1, itemsTotal: 3 } },
    ]);
    const cancelled = batchReducer(running, { type: 'cancelled', interrupted: 'v2' });
    expect(cancelled.phase).toBe('cancelled');
    expect(cancelled.interrupted).toBe('v2');
    expect(cancelled.done.map((d) => d.job.label)).toEqual(['v1']);
    expect(batchRatio(cancelled)).toBe(0.5);
    const finished = fold([{ type: 'stream', job: jobs[1]!, event: { type: 'result', ...result(D2, 'v2', 1) } }], running);
    expect(batchReducer(finished, { type: 'cancelled' })).toBe(finished);
    expect(batchReducer(initialBatch, { type: 'cancelled' })).toBe(initialBatch);
  });
});
