'use client';

import type { SourceSummary } from '@/lib/api/types';
import { LockIcon } from '@/components/ui/icons';
import { useDeletion } from './use-deletion';

const KIND_LABELS: Record<SourceSummary['kind'], string> = {
  http: 'Registry',
  layout: 'OCI layout',
  memory: 'In memory',
  unify: 'Unified sources',
};

/**
 * One line about a source: what it is, where, and whether deletion works (with the reason if not): the
 * configuration must allow it and the registry must not refuse it (asked, not assumed).
 */
export function SourceInfo({ source, showHost = true, repo }: { source: SourceSummary; showHost?: boolean; repo?: string }) {
  const deletion = useDeletion(source, repo);
  return (
    <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
      <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-medium dark:bg-zinc-800">{KIND_LABELS[source.kind]}</span>
      {showHost && (source.host ?? source.url) ? <code className="text-xs">{source.host ?? source.url}</code> : null}
      {source.delete && deletion?.allowed === false ? (
        <span data-testid="read-only-notice" className="inline-flex items-center gap-1 text-xs text-amber-800 dark:text-amber-300">
          <LockIcon width={12} height={12} />
          Deletion not possible: {deletion.reason}
        </span>
      ) : source.delete ? (
        <span data-testid="deletion-status" className="text-xs">
          {deletion === undefined ? 'Deletion allowed by the configuration' : deletion.tagDelete === 'unknown' ? `Deletion enabled (${deletion.reason})` : 'Deletion enabled'}
        </span>
      ) : (
        <span data-testid="read-only-notice" className="inline-flex items-center gap-1 text-xs text-amber-800 dark:text-amber-300">
          <LockIcon width={12} height={12} />
          Read-only{source.readOnlyReason ? `: ${source.readOnlyReason}` : ''}
        </span>
      )}
    </p>
  );
}
