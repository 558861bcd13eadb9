'use client';

import { PageLink } from '@/components/ui/page-link';
import { useEffect, useReducer, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ProgressBar } from '@/components/ui/progress-bar';
import { Switch } from '@/components/ui/switch';
import type { SourceSummary } from '@/lib/api/types';
import { isValidRepository, isValidTag } from '@/lib/oci/reference';
import { pages } from '@/lib/routes';
import { batchRatio, batchReducer, batchTotals, copyJobs, initialBatch, type CopyItem } from './copy-batch';
import { runCopies } from './copy-request';

export interface CopyDialogProps {
  open: boolean;
  onClose: () => void;
  source: string;
  repo: string;
  /** What to copy: one manifest (its tag editable), or several tags (copied under their own names). */
  items: readonly CopyItem[];
  /** Sources that allow writing (`write: true`). */
  targets: readonly SourceSummary[];
}

const inputClass = 'rounded border border-zinc-300 bg-white px-2 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900';
const linkClass = 'text-sky-700 underline dark:text-sky-400';

/**
 * "Copy to…": pick a destination (a source that allows writing, repository, tag; the same names by default),
 * whether referrers come along, then follow the copies on one progress bar fed by `POST /api/copy`'s NDJSON
 * streams (one copy after the other), ending in a result with links or the API's error. Cancel while copying
 * cuts the request in flight and stops the batch (the dialog then says which copies had finished); the dialog
 * going away (closed by its owner, the user navigating) does the same.
 */
export function CopyDialog({ open, onClose, source, repo, items, targets }: CopyDialogProps) {
  const single = items.length === 1 ? items[0] : undefined;
  const [target, setTarget] = useState(targets.find((t) => t.name !== source)?.name ?? targets[0]?.name ?? '');
  const [toRepo, setToRepo] = useState(repo);
  const [toTag, setToTag] = useState(single?.tag ?? '');
  const [referrers, setReferrers] = useState(true);
  const [state, dispatch] = useReducer(batchReducer, initialBatch);
  const abort = useRef<AbortController | null>(null);
  const busy = state.phase === 'running';
  const problem = !isValidRepository(toRepo) ? 'not a valid repository name' : single && toTag && !isValidTag(toTag) ? 'not a valid tag' : undefined;

  const start = () => {
    abort.current = new AbortController();
    const jobs = copyJobs(source, repo, items, target, toRepo, toTag || undefined);
    void runCopies(jobs, referrers, dispatch, abort.current.signal);
  };
  const cancel = () => abort.current?.abort();
  // Leaving the page (or the dialog being unmounted otherwise) stops the batch instead of copying on unseen.
  useEffect(() => () => abort.current?.abort(), []);

  const totals = batchTotals(state);
  const what = single ? (
    <>
      Copies <code>{single.label}</code> of <code>{source}/{repo}</code> with every blob and child manifest.
    </>
  ) : (
    <>
      Copies {items.length} tags of <code>{source}/{repo}</code> (<code>{items.map((i) => i.label).join(', ')}</code>), each under its
      own name, with every blob and child manifest.
    </>
  );
  return (
    <Dialog
      open={open}
      onClose={onClose}
      busy={busy}
      title="Copy to…"
      footer={
        <>
          <Button onClick={busy ? cancel : onClose}>{state.phase === 'done' || state.phase === 'cancelled' ? 'Close' : 'Cancel'}</Button>
          {state.phase !== 'done' ? (
            <Button variant="primary" onClick={start} disabled={busy || !target || problem !== undefined}>
              {busy ? 'Copying…' : 'Copy'}
            </Button>
          ) : null}
        </>
      }
    >
      <div className="flex flex-col gap-3" data-testid="copy-dialog">
        <p>{what}</p>
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
        {single ? (
          <label className="flex flex-col gap-1">
            <span className="font-medium">Tag (empty: by digest only)</span>
            <input value={toTag} onChange={(e) => setToTag(e.target.value)} disabled={busy} className={inputClass} />
          </label>
        ) : null}
        {problem ? <p className="text-xs text-red-700 dark:text-red-400">{problem}</p> : null}
        <Switch checked={referrers} onChange={setReferrers} label="Copy referrers (signatures, SBOMs, attestations)" />
        {state.phase !== 'idle' ? (
          <ProgressBar value={Math.round(batchRatio(state) * 1000)} max={1000} label="Copy progress" failed={state.phase === 'error'} />
        ) : null}
        {busy ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            {state.jobs > 1 ? `${items[state.index]?.label ?? ''} (${state.index + 1} of ${state.jobs}): ` : ''}
            {state.current.itemsDone} of {state.current.itemsTotal} items
          </p>
        ) : null}
        {state.error ? (
          <p role="alert" className="text-red-700 dark:text-red-400">
            {state.jobs > 1 ? `${state.error.label}: ` : ''}
            <code>{state.error.code}</code>: {state.error.message}
          </p>
        ) : null}
        {state.phase === 'cancelled' ? (
          <p role="status" data-testid="copy-cancelled">
            Cancelled: {state.done.length} of {state.jobs} {state.jobs === 1 ? 'copy' : 'copies'} had finished.
            {state.interrupted !== undefined ? (
              <>
                {' '}
                The copy of <code>{state.interrupted}</code> was stopped part-way: its destination tag is unchanged, or names the whole copy if the
                copy got that far. Copy again to complete it; what already arrived is not sent twice.
              </>
            ) : null}
          </p>
        ) : null}
        {state.done.length > 0 ? (
          <div data-testid="copy-result" className="flex flex-col gap-1">
            <p>
              {state.jobs > 1 ? `${state.done.length} of ${state.jobs} copies done. ` : ''}
              Copied {totals.manifests} manifests ({totals.referrers} referrers); blobs sent {totals.sent}, skipped {totals.skipped}, mounted{' '}
              {totals.mounted}.
            </p>
            {state.done.map(({ job, result }) => (
              <PageLink key={job.to + result.digest} className={linkClass} href={pages.manifest(job.target, job.repo, result.digest)}>
                {single ? `Open the copy in ${job.target}` : `${job.label}: open the copy in ${job.target}`}
              </PageLink>
            ))}
            {state.done.some(({ result }) => result.tag) ? (
              <PageLink className={linkClass} href={pages.tags(state.done[0]!.job.target, state.done[0]!.job.repo)}>
                Tags of {state.done[0]!.job.target}/{state.done[0]!.job.repo}
              </PageLink>
            ) : null}
          </div>
        ) : null}
      </div>
    </Dialog>
  );
}
