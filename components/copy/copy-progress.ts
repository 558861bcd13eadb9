/**
 * The "Copy to…" dialog's pure parts: the NDJSON stream of `POST /api/copy` (docs/copy.md) split into events,
 * and the events folded into what the dialog shows (progress bar, result, error).
 */
import type { CopyEvent, CopyResult } from '@/lib/registry/copy/types';

/** One line of the stream: a CopyEvent, then the result or an error. */
export type CopyStreamEvent =
  | CopyEvent
  | ({ type: 'result' } & CopyResult)
  | { type: 'error'; error: { code: string; message: string; detail?: unknown } };

export interface CopyProgress {
  phase: 'idle' | 'running' | 'done' | 'error';
  bytesDone: number;
  bytesTotal: number;
  itemsDone: number;
  itemsTotal: number;
  /** Manifests copied or already present so far (by digest). */
  manifests: number;
  tag?: string;
  result?: CopyResult;
  error?: { code: string; message: string };
}

export const initialProgress: CopyProgress = { phase: 'idle', bytesDone: 0, bytesTotal: 0, itemsDone: 0, itemsTotal: 0, manifests: 0 };

/** Folds one stream event into the dialog's state. Unknown event types are ignored (a newer server). */
export function copyReducer(state: CopyProgress, event: CopyStreamEvent | { type: 'start' }): CopyProgress {
  switch (event.type) {
    case 'start':
      return { ...initialProgress, phase: 'running' };
    case 'plan':
      return { ...state, phase: 'running', bytesTotal: event.bytes, itemsTotal: event.manifests + event.blobs };
    case 'progress':
      return { ...state, bytesDone: event.bytesDone, bytesTotal: event.bytesTotal, itemsDone: event.itemsDone, itemsTotal: event.itemsTotal };
    case 'manifest':
      return { ...state, manifests: state.manifests + 1 };
    case 'tag':
      return { ...state, tag: event.tag };
    case 'result': {
      const { type: _type, ...result } = event;
      void _type;
      return { ...state, phase: 'done', itemsDone: state.itemsTotal || state.itemsDone, bytesDone: Math.max(state.bytesDone, state.bytesTotal), result };
    }
    case 'error':
      return { ...state, phase: 'error', error: { code: event.error.code, message: event.error.message } };
    default:
      return state;
  }
}

/** Share of the work done, 0–1: bytes when there are any to send, else items. */
export function progressRatio(state: CopyProgress): number {
  if (state.phase === 'done') return 1;
  if (state.bytesTotal > 0) return Math.min(1, state.bytesDone / state.bytesTotal);
  if (state.itemsTotal > 0) return Math.min(1, state.itemsDone / state.itemsTotal);
  return 0;
}

/** What a line of the copy stream that is not JSON becomes: an error event (never a crash). */
export function notJson(): CopyStreamEvent {
  return { type: 'error', error: { code: 'UNKNOWN', message: 'the server sent a line that is not JSON' } };
}
