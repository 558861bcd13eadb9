'use client';

import { useQueryClient } from '@tanstack/react-query';
import clsx from 'clsx';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { describeError } from '@/components/ui/error-state';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { SourceKind, TagRow } from '@/lib/api/types';
import { clientFetchers } from '@/lib/query/client-fetchers';
import { registryKeys } from '@/lib/query/keys';
import { CodeText } from './code-text';
import { describeBulkSurvivors } from './delete-text';
import { GcNote } from './gc-note';
import { runGrouped } from './run-grouped';

type Outcome = { status: 'ok'; method: string } | { status: 'failed'; code: string; message: string };

const CONCURRENCY = 3;

export interface BulkDeleteDialogProps {
  source: string;
  sourceKind: SourceKind;
  repo: string;
  tags: readonly TagRow[];
  open: boolean;
  onClose: () => void;
  /** Called once the run ends, with the tags that are gone. */
  onFinished: (deleted: string[]) => void;
}

/** Deletes the selected tags one DELETE each (tags of one digest in sequence), with progress and a result per tag. */
export function BulkDeleteDialog({ source, sourceKind, repo, tags, open, onClose, onFinished }: BulkDeleteDialogProps) {
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<'confirm' | 'running' | 'done'>('confirm');
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const abort = useRef<AbortController | null>(null);
  const finished = Object.keys(outcomes).length;
  const failed = Object.values(outcomes).filter((o) => o.status === 'failed').length;

  const run = async () => {
    setPhase('running');
    setOutcomes({});
    const controller = new AbortController();
    abort.current = controller;
    const deleted: string[] = [];
    await runGrouped(tags, (t) => t.digest ?? t.name, CONCURRENCY, async (tag) => {
      let outcome: Outcome;
      try {
        const response = await clientFetchers.deleteTag(source, repo, tag.name);
        deleted.push(tag.name);
        outcome = { status: 'ok', method: response.method };
      } catch (error) {
        const { code, message } = describeError(error);
        outcome = { status: 'failed', code, message };
      }
      setOutcomes((current) => ({ ...current, [tag.name]: outcome }));
    }, controller.signal);
    setPhase('done');
    onFinished(deleted);
    await queryClient.invalidateQueries({ queryKey: registryKeys.repo(source, repo) });
  };
  const close = () => {
    if (phase === 'running') return;
    setPhase('confirm');
    setOutcomes({});
    onClose();
  };
  const survivors = describeBulkSurvivors(tags);

  return (
    <Dialog
      open={open}
      onClose={close}
      busy={phase === 'running'}
      title={phase === 'confirm' ? `Delete ${tags.length} ${tags.length === 1 ? 'tag' : 'tags'}?` : `Deleting ${tags.length} tags`}
      footer={
        phase === 'confirm' ? (
          <>
            <Button onClick={close}>Cancel</Button>
            <Button variant="danger" onClick={() => void run()} disabled={tags.length === 0}>
              Delete {tags.length} {tags.length === 1 ? 'tag' : 'tags'}
            </Button>
          </>
        ) : phase === 'running' ? (
          <Button onClick={() => abort.current?.abort()}>Stop after the current ones</Button>
        ) : (
          <Button onClick={close}>Close</Button>
        )
      }
    >
      <div className="flex flex-col gap-3">
        {phase === 'confirm' ? (
          <>
            <p>
              Each tag is deleted on its own; manifests stay. Tags that are not selected keep pointing at their manifests.
            </p>
            {survivors.length > 0 ? (
              <ul className="list-disc pl-5 text-xs text-zinc-600 dark:text-zinc-400">
                {survivors.map((note) => (
                  <li key={note}>
                    <CodeText text={note} />
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : (
          <div className="flex flex-col gap-1">
            <ProgressBar value={finished} max={tags.length} label="Tags processed" failed={failed > 0} />
            <p className="text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
              {finished} of {tags.length} done{failed > 0 ? `, ${failed} failed` : ''}
              {phase === 'done' && finished < tags.length ? `, ${tags.length - finished} not attempted` : ''}
            </p>
          </div>
        )}
        <ul data-testid="bulk-results" className="max-h-64 overflow-y-auto rounded border border-zinc-200 text-xs dark:border-zinc-800">
          {tags.map((tag) => {
            const outcome = outcomes[tag.name];
            return (
              <li key={tag.name} data-tag={tag.name} data-status={outcome?.status ?? 'pending'} className="flex items-center gap-2 border-b border-zinc-100 px-2 py-1 last:border-0 dark:border-zinc-900">
                <code className="truncate">{tag.name}</code>
                <span
                  className={clsx(
                    'ml-auto shrink-0',
                    outcome?.status === 'ok' && 'text-emerald-700 dark:text-emerald-400',
                    outcome?.status === 'failed' && 'text-red-700 dark:text-red-400',
                  )}
                  title={outcome?.status === 'failed' ? outcome.message : undefined}
                >
                  {!outcome ? (phase === 'confirm' ? '' : phase === 'done' ? 'not attempted' : 'waiting') : outcome.status === 'ok' ? 'deleted' : `${outcome.code}: ${outcome.message}`}
                </span>
              </li>
            );
          })}
        </ul>
        {phase === 'done' && finished - failed > 0 ? <GcNote kind={sourceKind} /> : null}
      </div>
    </Dialog>
  );
}
