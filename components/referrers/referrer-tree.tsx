'use client';

import clsx from 'clsx';
import { useRouter } from 'next/navigation';
import { useCallback, useState } from 'react';
import { formatDate } from '@/components/manifest/format';
import { useTreeNav } from '@/components/manifest/tree-nav';
import { ChevronRightIcon } from '@/components/ui/icons';
import type { ReferrerNode } from '@/lib/api/types';
import { pages } from '@/lib/routes';
import { KIND_LABEL, KIND_STYLE } from './artifact-kinds';
import { type ReferrerTreeRow, referrerTreeRows } from './tree-rows';

export interface ReferrerTreeProps {
  source: string;
  repo: string;
  subject: string;
  subjectLabel?: string;
  referrers: readonly ReferrerNode[];
}

function RowText({ row, subjectLabel }: { row: ReferrerTreeRow; subjectLabel?: string }) {
  const r = row.referrer;
  const annotations = Object.entries(r?.annotations ?? {});
  return (
    <span className="flex min-w-0 flex-col">
      <span className="flex min-w-0 flex-wrap items-center gap-x-2">
        <span className={clsx('rounded px-1.5 py-px text-[0.7rem] font-semibold', KIND_STYLE[row.kind].chip)}>{KIND_LABEL[row.kind]}</span>
        <span className="font-mono text-xs break-all">{row.digest}</span>
        <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{row.kind === 'subject' ? subjectLabel : (r?.artifactType ?? r?.mediaType)}</span>
        {r?.created ? <span className="text-xs text-zinc-500 dark:text-zinc-400">created {formatDate(r.created)}</span> : null}
        {r?.foundBy && r.foundBy !== 'api' ? <span className="text-xs text-zinc-500">found via {r.foundBy}</span> : null}
        {r?.truncated ? (
          <span className="text-xs font-medium text-amber-700 dark:text-amber-300">{r.truncated === 'depth' ? 'may have more referrers: raise the depth' : 'cycle: already listed above'}</span>
        ) : null}
      </span>
      {annotations.length ? (
        <span className="mt-0.5 flex flex-col">
          {annotations.map(([key, value]) => (
            <span key={key} className="font-mono text-[0.7rem] break-all text-zinc-500 dark:text-zinc-400">
              {key}: {value}
            </span>
          ))}
        </span>
      ) : null}
    </span>
  );
}

/** The same subject and referrers as the graph, as a keyboard-navigable tree (arrows, Enter opens). */
export function ReferrerTree({ source, repo, subject, subjectLabel, referrers }: ReferrerTreeProps) {
  const router = useRouter();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = referrerTreeRows(subject, referrers, (id) => !collapsed.has(id));
  const toggle = useCallback(
    (id: string, expand: boolean) =>
      setCollapsed((set) => {
        const next = new Set(set);
        if (expand) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const open = (id: string) => {
    const row = rows.find((r) => r.id === id);
    if (row) router.push(pages.manifest(source, repo, row.digest));
  };
  const rowProps = useTreeNav(rows, { onToggle: toggle, onActivate: open });

  return (
    <div role="tree" aria-label="Referrers as a list" data-testid="referrer-tree" className="flex flex-col gap-px text-sm">
      {rows.map((row) => (
        <div
          key={row.id}
          {...rowProps(row)}
          data-digest={row.digest}
          onClick={() => open(row.id)}
          style={{ paddingLeft: `${(row.level - 1) * 1.5 + 0.25}rem` }}
          className="flex cursor-pointer items-start gap-1.5 rounded py-1 pr-2 hover:bg-zinc-100 dark:hover:bg-zinc-800/70"
        >
          {row.expanded === undefined ? (
            <span className="mt-0.5 w-4 shrink-0" />
          ) : (
            <span
              aria-hidden
              onClick={(event) => {
                event.stopPropagation();
                toggle(row.id, !row.expanded);
              }}
              className="mt-0.5 flex h-4 w-4 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200 dark:hover:bg-zinc-700"
            >
              <ChevronRightIcon width={12} height={12} className={clsx('transition-transform', row.expanded && 'rotate-90')} />
            </span>
          )}
          <RowText row={row} subjectLabel={subjectLabel} />
        </div>
      ))}
    </div>
  );
}
