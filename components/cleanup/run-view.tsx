'use client';

import clsx from 'clsx';
import { CopyButton } from '@/components/ui/copy-button';
import { DigestText } from '@/components/ui/digest';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { CleanupResult, CollectedManifest, ExecutionItem, GcAdvice } from '@/lib/cleanup/types';
import { progressCounts } from './plan-model';

const STATUS_CLASS: Record<ExecutionItem['status'], string> = {
  deleted: 'text-emerald-700 dark:text-emerald-400',
  skipped: 'text-zinc-600 dark:text-zinc-400',
  failed: 'text-red-700 dark:text-red-400',
};

export interface RunViewProps {
  total: number;
  items: readonly ExecutionItem[];
  collected: readonly CollectedManifest[];
  running: boolean;
  result: CleanupResult | null;
}

/** Progress while the cleanup runs, then the per-tag results and how the space comes back. */
export function RunView({ total, items, collected, running, result }: RunViewProps) {
  const counts = progressCounts(items);
  return (
    <section data-testid="cleanup-run" className="flex flex-col gap-3" aria-label="Cleanup progress">
      <ProgressBar value={counts.done} max={Math.max(total, 1)} label="Planned deletions processed" failed={counts.failed > 0} />
      <p data-testid="run-summary" className="text-sm" aria-live="polite">
        {running ? 'Deleting… ' : result ? (result.ok ? 'Done. ' : result.stopped ? 'Stopped after a failure. ' : 'Finished with problems. ') : ''}
        {counts.deleted} deleted, {counts.skipped} skipped, {counts.failed} failed of {total}.
      </p>
      <div className="max-h-96 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table data-testid="run-items" className="w-full text-sm">
          <tbody>
            {items.map((item, i) => (
              <tr key={`${i}:${item.repository}:${item.tag}`} data-testid="run-item" data-tag={`${item.repository}:${item.tag}`} data-status={item.status} className="border-t border-zinc-100 first:border-0 dark:border-zinc-900">
                <td className="px-2 py-1 font-mono text-xs">{item.repository}</td>
                <td className="px-2 py-1 font-mono">{item.tag}</td>
                <td className={clsx('px-2 py-1 text-xs font-medium', STATUS_CLASS[item.status])}>{item.status}</td>
                <td className="px-2 py-1 text-xs text-zinc-600 dark:text-zinc-400">
                  {item.status === 'deleted' ? (item.method === 'placeholder' ? 'via placeholder manifest' : 'deleted natively') : item.reason}
                  {item.error ? <code className="ml-1">{item.error.code}</code> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {collected.length > 0 ? (
        <div>
          <h3 className="mb-1 text-sm font-medium">Manifests left without tags, collected</h3>
          <ul data-testid="run-collected" className="text-xs">
            {collected.map((c) => (
              <li key={`${c.repository}@${c.digest}`} data-status={c.status} className="flex items-center gap-2">
                <code>{c.repository}</code>
                <DigestText digest={c.digest} />
                <span className={STATUS_CLASS[c.status]}>{c.status}</span>
                {c.reason ? <span className="text-zinc-600 dark:text-zinc-400">{c.reason}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {result ? <GcExplanation advice={result.gc} /> : null}
    </section>
  );
}

/** How the space of the deleted tags comes back, for this source's kind. */
export function GcExplanation({ advice }: { advice: GcAdvice }) {
  return (
    <div data-testid="gc-explanation" className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100">
      <p className="font-medium">Reclaiming the space</p>
      <p className="mt-1 text-xs">{advice.message}</p>
      {advice.commands.length > 0 ? (
        <ul className="mt-2 flex flex-col gap-1">
          {advice.commands.map((command) => (
            <li key={command} className="flex items-center gap-1">
              <code className="rounded bg-white/70 px-1.5 py-0.5 text-xs break-all dark:bg-zinc-900/70">{command}</code>
              <CopyButton value={command} label="Copy the command" />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
