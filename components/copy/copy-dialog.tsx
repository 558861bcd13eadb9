'use client';

import Link from 'next/link';
import { useReducer, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ProgressBar } from '@/components/ui/progress-bar';
import { Switch } from '@/components/ui/switch';
import type { SourceSummary } from '@/lib/api/types';
import { isValidRepository, isValidTag } from '@/lib/oci/reference';
import { pages } from '@/lib/routes';
import { copyReducer, initialProgress, progressRatio } from './copy-progress';
import { runCopy } from './copy-request';

export interface CopyDialogProps {
  open: boolean;
  onClose: () => void;
  source: string;
  repo: string;
  digest: string;
  /** The tag the page shows, the default destination tag. */
  shownTag?: string;
  /** Sources that allow writing (`write: true`). */
  targets: readonly SourceSummary[];
}

const inputClass = 'rounded border border-zinc-300 bg-white px-2 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900';

/**
 * "Copy to…": pick a destination (a source that allows writing, repository, tag; the same names by default),
 * whether referrers come along, then follow the copy on a progress bar fed by `POST /api/copy`'s NDJSON stream,
 * ending in a result with links or the API's error.
 */
export function CopyDialog({ open, onClose, source, repo, digest, shownTag, targets }: CopyDialogProps) {
  const [target, setTarget] = useState(targets.find((t) => t.name !== source)?.name ?? targets[0]?.name ?? '');
  const [toRepo, setToRepo] = useState(repo);
  const [toTag, setToTag] = useState(shownTag ?? '');
  const [referrers, setReferrers] = useState(true);
  const [state, dispatch] = useReducer(copyReducer, initialProgress);
  const abort = useRef<AbortController | null>(null);
  const busy = state.phase === 'running';
  const problem = !isValidRepository(toRepo) ? 'not a valid repository name' : toTag && !isValidTag(toTag) ? 'not a valid tag' : undefined;

  const start = () => {
    abort.current = new AbortController();
    dispatch({ type: 'start' });
    const from = `${source}/${repo}@${digest}`;
    const to = `${target}/${toRepo}${toTag ? `:${toTag}` : ''}`;
    runCopy({ from, to, referrers }, dispatch, abort.current.signal).catch((error: unknown) => {
      if ((error as Error).name !== 'AbortError') dispatch({ type: 'error', error: { code: 'UNKNOWN', message: (error as Error).message } });
    });
  };

  const result = state.result;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      busy={busy}
      title="Copy to…"
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            {state.phase === 'done' ? 'Close' : 'Cancel'}
          </Button>
          {state.phase !== 'done' ? (
            <Button variant="primary" onClick={start} disabled={busy || !target || problem !== undefined}>
              {busy ? 'Copying…' : 'Copy'}
            </Button>
          ) : null}
        </>
      }
    >
      <div className="flex flex-col gap-3" data-testid="copy-dialog">
        <p>
          Copies <code>{digest.slice(0, 19)}…</code> of <code>{source}/{repo}</code> with every blob and child manifest.
        </p>
        <label className="flex flex-col gap-1">
          <span className="font-medium">Destination source</span>
          <select value={target} onChange={(e) => setTarget(e.target.value)} disabled={busy} className={inputClass}>
            {targets.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">Repository</span>
          <input value={toRepo} onChange={(e) => setToRepo(e.target.value)} disabled={busy} className={inputClass} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">Tag (empty: by digest only)</span>
          <input value={toTag} onChange={(e) => setToTag(e.target.value)} disabled={busy} className={inputClass} />
        </label>
        {problem ? <p className="text-xs text-red-700 dark:text-red-400">{problem}</p> : null}
        <Switch checked={referrers} onChange={setReferrers} label="Copy referrers (signatures, SBOMs, attestations)" />
        {state.phase !== 'idle' ? (
          <ProgressBar value={Math.round(progressRatio(state) * 1000)} max={1000} label="Copy progress" failed={state.phase === 'error'} />
        ) : null}
        {busy ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {state.itemsDone} of {state.itemsTotal} items
          </p>
        ) : null}
        {state.error ? (
          <p role="alert" className="text-red-700 dark:text-red-400">
            <code>{state.error.code}</code>: {state.error.message}
          </p>
        ) : null}
        {result ? (
          <div data-testid="copy-result" className="flex flex-col gap-1">
            <p>
              Copied {result.manifests.length} manifests ({result.referrers.length} referrers); blobs sent {result.blobs.sent}, skipped{' '}
              {result.blobs.skipped}, mounted {result.blobs.mounted}.
            </p>
            <Link className="text-sky-700 underline dark:text-sky-400" href={pages.manifest(target, toRepo, result.digest)}>
              Open the copy in {target}
            </Link>
            {result.tag ? (
              <Link className="text-sky-700 underline dark:text-sky-400" href={pages.tags(target, toRepo)}>
                Tags of {target}/{toRepo}
              </Link>
            ) : null}
          </div>
        ) : null}
      </div>
    </Dialog>
  );
}
