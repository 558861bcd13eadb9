import clsx from 'clsx';
import { ReferrersBadge } from '@/components/referrers/referrers-badge';
import { ChevronRightIcon } from '@/components/ui/icons';
import { PlatformBadge } from '@/components/ui/platform-badge';
import { shortDigest } from '@/lib/oci/digest';
import { Annotation } from '@/lib/oci/media-types';
import { formatBytes } from './format';
import { KindBadge } from './kind-badge';
import type { ManifestTreeRow } from './tree-model';

const digestClass = 'font-mono text-[0.7rem] text-zinc-500 dark:text-zinc-400';

/** What a tree row shows; the row element itself (focus, keys, clicks) belongs to ManifestTree. */
export function ManifestTreeRowContent({ row, source, repo, label, onToggle }: { row: ManifestTreeRow; source: string; repo: string; label: string; onToggle: () => void }) {
  return (
    <>
      {row.expanded === undefined ? (
        <span className="w-4 shrink-0" />
      ) : (
        <span
          aria-hidden
          onClick={(event) => {
            event.stopPropagation();
            onToggle();
          }}
          className="flex h-4 w-4 shrink-0 cursor-pointer items-center justify-center rounded text-zinc-500 hover:bg-zinc-200 dark:hover:bg-zinc-700"
        >
          <ChevronRightIcon width={12} height={12} className={clsx('transition-transform', row.expanded && 'rotate-90')} />
        </span>
      )}
      <RowBody row={row} source={source} repo={repo} label={label} />
    </>
  );
}

function RowBody({ row, source, repo, label }: { row: ManifestTreeRow; source: string; repo: string; label: string }) {
  switch (row.type) {
    case 'root':
      return (
        <>
          <KindBadge kind={row.data.kind} compact />
          <span className="min-w-0 truncate font-medium">{label}</span>
          <span className="ml-auto" />
          <ReferrersBadge source={source} repo={repo} digest={row.data.descriptor.digest} focusable={false} />
        </>
      );
    case 'child': {
      const { child } = row;
      return (
        <>
          {child.attestation ? (
            <span className="rounded bg-amber-100 px-1.5 py-px text-[0.7rem] font-medium text-amber-900 dark:bg-amber-900/60 dark:text-amber-100">attestation</span>
          ) : (
            <PlatformBadge platform={child.platform ?? 'no platform'} />
          )}
          <span className={digestClass}>{shortDigest(child.descriptor.digest, 7)}</span>
          {child.missing ? <span className="text-xs font-medium text-red-700 dark:text-red-300">missing</span> : null}
          <span className="ml-auto" />
          {child.missing ? null : <ReferrersBadge source={source} repo={repo} digest={child.descriptor.digest} focusable={false} />}
        </>
      );
    }
    case 'blob': {
      const title = row.descriptor.annotations?.[Annotation.Title];
      return (
        <>
          <span className="shrink-0 text-zinc-700 dark:text-zinc-300">{row.role === 'config' ? 'config' : `layer ${row.index + 1}`}</span>
          <span className={clsx(digestClass, 'min-w-0 truncate')}>{title ?? shortDigest(row.descriptor.digest, 7)}</span>
          <span className="ml-auto shrink-0 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">{formatBytes(row.descriptor.size)}</span>
        </>
      );
    }
    case 'link':
      return (
        <>
          <span className="shrink-0 text-zinc-700 dark:text-zinc-300">{row.label}</span>
          <span className={digestClass}>{shortDigest(row.descriptor.digest, 7)}</span>
          <span aria-hidden className="ml-auto text-xs text-zinc-400">↗</span>
        </>
      );
    case 'note':
      return <span className={clsx('text-xs', row.tone === 'error' ? 'text-red-700 dark:text-red-300' : 'text-zinc-500 dark:text-zinc-400')}>{row.text}</span>;
  }
}
