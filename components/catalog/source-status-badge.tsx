'use client';

import { useQuery } from '@tanstack/react-query';
import { registryQueries } from '@/lib/query/options';
import { describeStatus, type StatusView } from './source-status-model';

const TONES: Record<StatusView['state'], string> = {
  ok: 'bg-emerald-500',
  rejected: 'bg-amber-500',
  down: 'bg-red-500',
  checking: 'bg-zinc-400',
};

const TEXT: Record<StatusView['state'], string> = {
  ok: 'text-emerald-800 dark:text-emerald-300',
  rejected: 'text-amber-800 dark:text-amber-300',
  down: 'text-red-700 dark:text-red-400',
  checking: 'text-zinc-500',
};

/** A source's live status (reachable, credentials rejected, down, with the error), refreshed in the background. */
export function SourceStatusBadge({ name }: { name: string }) {
  const query = useQuery({ ...registryQueries.sourceStatus(), select: (data) => data.sources.find((s) => s.name === name)?.status });
  const view = query.isError ? { state: 'checking' as const, label: 'Status unavailable' } : describeStatus(query.data);
  return (
    <span data-testid="source-status" data-state={view.state} className={`flex flex-col gap-0.5 text-xs ${TEXT[view.state]}`}>
      <span className="inline-flex items-center gap-1.5 font-medium">
        <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${TONES[view.state]}`} />
        {view.label}
      </span>
      {view.detail ? <span className="break-words text-zinc-600 dark:text-zinc-400">{view.detail}</span> : null}
    </span>
  );
}
