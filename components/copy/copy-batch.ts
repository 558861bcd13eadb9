/**
 * "Copy to…" over one or several manifests (a manifest page, or the tags selected in the tag table): the copies
 * run one after the other, each a `POST /api/copy`, and fold into one progress bar and one result. The first
 * failure stops the batch; what was copied before it stays listed. Cancelling (the dialog's Cancel while it
 * runs) stops it the same way, naming the copy it interrupted.
 */
import type { CopyResult } from '@/lib/registry/copy/types';
import { copyReducer, initialProgress, progressRatio, type CopyProgress, type CopyStreamEvent } from './copy-progress';

/** One thing to copy, relative to the dialog's source and repository. */
export interface CopyItem {
  /** What follows `SOURCE/REPO` in `from`: `@DIGEST`, `:TAG` or `:TAG@DIGEST` (the tag must still point there). */
  reference: string;
  /** The destination tag by default (none: by digest only). */
  tag?: string;
  /** How the item is named in the dialog: the tag, else a short digest. */
  label: string;
}

/** One copy of the batch, as sent to `POST /api/copy`. */
export interface CopyJob {
  from: string;
  to: string;
  label: string;
  /** Destination source and repository, for the result's links. */
  target: string;
  repo: string;
}

export interface CopyBatch {
  phase: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  jobs: number;
  /** The job running now (or the one that failed). */
  index: number;
  current: CopyProgress;
  done: { job: CopyJob; result: CopyResult }[];
  error?: { code: string; message: string; label: string };
  /** Cancelled: the copy that was running then (it may have finished or stopped part-way), if one was. */
  interrupted?: string;
}

export type CopyBatchEvent =
  | { type: 'start'; jobs: number }
  | { type: 'job'; index: number }
  | { type: 'stream'; job: CopyJob; event: CopyStreamEvent }
  /** `interrupted`: the label of the copy whose request was cut off (none when the batch was between copies). */
  | { type: 'cancelled'; interrupted?: string };

export const initialBatch: CopyBatch = { phase: 'idle', jobs: 0, index: 0, current: initialProgress, done: [] };

/** The copies for `items` from `source/repo` to `target/toRepo`; a single item may get another tag (`tag`). */
export function copyJobs(source: string, repo: string, items: readonly CopyItem[], target: string, toRepo: string, tag?: string): CopyJob[] {
  return items.map((item) => {
    const toTag = items.length === 1 ? tag : item.tag;
    return { from: `${source}/${repo}${item.reference}`, to: `${target}/${toRepo}${toTag ? `:${toTag}` : ''}`, label: item.label, target, repo: toRepo };
  });
}

/** Folds the batch's events into what the dialog shows. */
export function batchReducer(state: CopyBatch, event: CopyBatchEvent): CopyBatch {
  switch (event.type) {
    case 'start':
      return { ...initialBatch, phase: 'running', jobs: event.jobs };
    case 'job':
      return { ...state, index: event.index, current: copyReducer(initialProgress, { type: 'start' }) };
    case 'cancelled':
      if (state.phase !== 'running') return state;
      return { ...state, phase: 'cancelled', ...(event.interrupted !== undefined ? { interrupted: event.interrupted } : {}) };
    case 'stream': {
      const current = copyReducer(state.current, event.event);
      if (current.phase === 'error') return { ...state, current, phase: 'error', error: { ...current.error!, label: event.job.label } };
      if (current.phase === 'done' && current.result) {
        const done = [...state.done, { job: event.job, result: current.result }];
        return { ...state, current, done, phase: done.length === state.jobs ? 'done' : 'running' };
      }
      return { ...state, current };
    }
  }
}

/** Share of the batch done, 0–1: finished copies plus the running one's share. */
export function batchRatio(state: CopyBatch): number {
  if (state.phase === 'done') return 1;
  if (state.jobs === 0) return 0;
  const running = state.phase === 'running' && state.current.phase === 'running' ? progressRatio(state.current) : 0;
  return Math.min(1, (state.done.length + running) / state.jobs);
}

/** The batch's results added up, for the summary line. */
export function batchTotals(state: CopyBatch): { manifests: number; referrers: number; sent: number; skipped: number; mounted: number } {
  const totals = { manifests: 0, referrers: 0, sent: 0, skipped: 0, mounted: 0 };
  for (const { result } of state.done) {
    totals.manifests += result.manifests.length;
    totals.referrers += result.referrers.length;
    totals.sent += result.blobs.sent;
    totals.skipped += result.blobs.skipped;
    totals.mounted += result.blobs.mounted;
  }
  return totals;
}
