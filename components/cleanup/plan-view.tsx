'use client';

import clsx from 'clsx';
import { useState, type ReactNode } from 'react';
import { DigestText } from '@/components/ui/digest';
import { formatAbsolute, formatBytes } from '@/components/ui/format';
import { RelativeTime } from '@/components/ui/relative-time';
import { reclaimScope } from '@/lib/cleanup/reclaim-text';
import type { CleanupPlan } from '@/lib/cleanup/types';
import { deletionsByRepository, keepGroups } from './plan-model';

const cell = 'px-2 py-1 align-top';
const head = 'px-2 py-1 text-left text-xs font-medium text-zinc-600 dark:text-zinc-400';

function Stat({ label, value, testId, tone }: { label: string; value: ReactNode; testId: string; tone?: 'danger' }) {
  return (
    <div className="rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800">
      <div className="text-xs text-zinc-600 dark:text-zinc-400">{label}</div>
      <div data-testid={testId} className={clsx('text-lg font-semibold', tone === 'danger' && 'text-red-700 dark:text-red-400')}>
        {value}
      </div>
    </div>
  );
}

function Table({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <div className="max-h-96 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800">
      <table data-testid={testId} className="w-full text-sm">
        {children}
      </table>
    </div>
  );
}

/** A row of a body-only table: a line above every row but the first. */
const bodyRow = 'border-t border-zinc-100 first:border-0 dark:border-zinc-900';

/** The repository column every plan table starts with. */
function RepositoryCell({ repository, className }: { repository: string; className?: string }) {
  return <td className={clsx(cell, 'font-mono text-xs', className)}>{repository}</td>;
}

/** A tab of a note and, when there are any, a table of rows. */
function NotedRows({ note, testId, rows }: { note: ReactNode; testId: string; rows: ReactNode[] }) {
  return (
    <div className="flex flex-col gap-2">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">{note}</p>
      {rows.length > 0 ? (
        <Table testId={testId}>
          <tbody>{rows}</tbody>
        </Table>
      ) : null}
    </div>
  );
}

type Tab = 'delete' | 'keep' | 'untagged' | 'referrers';

/** The preview: what goes, what stays and why, what is left without tags, and the space it frees. */
export function PlanView({ plan }: { plan: CleanupPlan }) {
  const [tab, setTab] = useState<Tab>('delete');
  const tabs: { id: Tab; label: string }[] = [
    { id: 'delete', label: `Deleted (${plan.delete.length})` },
    { id: 'keep', label: `Kept (${plan.keep.length})` },
    { id: 'untagged', label: `Left without tags (${plan.untagged.length})` },
    { id: 'referrers', label: `Referrers affected (${plan.referrers.length})` },
  ];
  return (
    <section data-testid="plan" className="flex flex-col gap-3" aria-label="Plan preview">
      <div className="grid grid-cols-2 gap-2 md:grid-cols-4">
        <Stat label="Tags to delete" value={plan.delete.length} testId="plan-delete-count" tone={plan.delete.length > 0 ? 'danger' : undefined} />
        <Stat label="Tags kept" value={plan.keep.length} testId="plan-keep-count" />
        <Stat label="Manifests left without tags" value={plan.untagged.length} testId="plan-untagged-count" />
        <Stat
          label={`Reclaimable after GC${plan.reclaim.upperBound ? ' (at most)' : ''}${plan.reclaim.exact ? '' : ' (estimate)'}`}
          value={`${plan.reclaim.upperBound ? '≤ ' : ''}${formatBytes(plan.reclaimableBytes)}`}
          testId="plan-reclaimable"
        />
      </div>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Ages measured from{' '}
        <time dateTime={plan.now} data-testid="plan-now">
          {formatAbsolute(plan.now)}
        </time>{' '}
        across {plan.repositories.length} {plan.repositories.length === 1 ? 'repository' : 'repositories'}:{' '}
        {deletionsByRepository(plan)
          .map((r) => `${r.repository} (${r.delete} to delete)`)
          .join(', ') || 'none matched'}
        . Shared layers are counted once; space only comes back after garbage collection.
      </p>
      <p data-testid="plan-reclaim-scope" className="text-xs text-zinc-600 dark:text-zinc-400">
        Reclaimable space is {reclaimScope(plan.reclaim)}.
      </p>
      {plan.errors.length > 0 ? (
        <div role="alert" data-testid="plan-errors" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-xs text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100">
          {plan.errors.map((e) => (
            <p key={e.repository}>
              <code>{e.repository}</code>: {e.error.code} {e.error.message} — nothing is planned there.
            </p>
          ))}
        </div>
      ) : null}
      {[...plan.reclaim.warnings, ...plan.warnings].length > 0 ? (
        <ul className="list-disc pl-5 text-xs text-amber-800 dark:text-amber-300">
          {[...plan.reclaim.warnings, ...plan.warnings].map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}

      <div role="tablist" aria-label="Plan details" className="flex flex-wrap gap-1 border-b border-zinc-200 dark:border-zinc-800">
        {tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            type="button"
            aria-selected={tab === t.id}
            onClick={() => setTab(t.id)}
            className={clsx(
              '-mb-px border-b-2 px-3 py-1.5 text-sm',
              tab === t.id ? 'border-sky-600 font-medium' : 'border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100',
            )}
          >
            {t.label}
          </button>
        ))}
      </div>

      <div role="tabpanel">
        {tab === 'delete' ? (
          plan.delete.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing to delete: every tag is kept.</p>
          ) : (
            <Table testId="plan-delete">
              <thead>
                <tr>
                  <th className={head}>Repository</th>
                  <th className={head}>Tag</th>
                  <th className={head}>Digest</th>
                  <th className={head}>Created</th>
                  <th className={head}>Deleted by</th>
                </tr>
              </thead>
              <tbody>
                {plan.delete.map((d) => (
                  <tr key={`${d.repository}:${d.tag}`} data-testid="plan-delete-row" data-tag={`${d.repository}:${d.tag}`} className="border-t border-zinc-100 dark:border-zinc-900">
                    <RepositoryCell repository={d.repository} />
                    <td className={clsx(cell, 'font-mono')}>{d.tag}</td>
                    <td className={cell}>
                      <DigestText digest={d.digest} />
                    </td>
                    <td className={cell}>{d.created ? <RelativeTime iso={d.created} /> : '—'}</td>
                    <td className={clsx(cell, 'font-mono text-xs')}>{d.rules.map((r) => plan.policy.rules[r]?.match ?? `rules[${r}]`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )
        ) : null}

        {tab === 'keep' ? (
          <div className="flex flex-col gap-3">
            {keepGroups(plan.keep).map((group) => (
              <div key={group.reason}>
                <h3 className="mb-1 text-sm font-medium">
                  {group.label} ({group.items.length})
                </h3>
                <Table testId={`plan-keep-${group.reason}`}>
                  <tbody>
                    {group.items.map((k) => (
                      <tr key={`${k.repository}:${k.tag}`} data-testid="plan-keep-row" data-tag={`${k.repository}:${k.tag}`} data-reason={k.reason} className={bodyRow}>
                        <RepositoryCell repository={k.repository} className="w-48" />
                        <td className={clsx(cell, 'w-48 font-mono')}>{k.tag}</td>
                        <td className={clsx(cell, 'text-xs text-zinc-600 dark:text-zinc-400')}>{k.detail}</td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              </div>
            ))}
          </div>
        ) : null}

        {tab === 'untagged' ? (
          <NotedRows
            testId="plan-untagged"
            note="These manifests lose their last tag. They stay in the registry, pullable by digest and holding their layers, until you delete them by digest (manifest page → Delete manifest); then the registry’s garbage collector can free their space."
            rows={plan.untagged.map((u) => (
              <tr key={`${u.repository}@${u.digest}`} className={bodyRow}>
                <RepositoryCell repository={u.repository} />
                <td className={cell}>
                  <DigestText digest={u.digest} />
                </td>
                <td className={clsx(cell, 'font-mono text-xs')}>{u.tags.join(', ')}</td>
                <td className={clsx(cell, 'text-xs')}>{u.size !== null ? formatBytes(u.size) : ''}</td>
              </tr>
            ))}
          />
        ) : null}

        {tab === 'referrers' ? (
          <NotedRows
            testId="plan-referrers"
            note="Signatures, SBOMs and other artifacts attached to manifests that lose their last tag. Cleanup does not delete them."
            rows={plan.referrers.map((r) => (
              <tr key={`${r.repository}:${r.subject}:${r.digest ?? r.tag}`} className={bodyRow}>
                <RepositoryCell repository={r.repository} />
                <td className={cell}>
                  <DigestText digest={r.subject} copy={false} />
                </td>
                <td className={clsx(cell, 'text-xs')}>{r.via === 'tag' ? <code>{r.tag}</code> : r.digest ? <DigestText digest={r.digest} /> : null}</td>
                <td className={clsx(cell, 'text-xs')}>{r.artifactType ?? ''}</td>
              </tr>
            ))}
          />
        ) : null}
      </div>
    </section>
  );
}
