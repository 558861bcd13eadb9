import clsx from 'clsx';
import { PageLink } from '@/components/ui/page-link';
import { memo, type MouseEvent } from 'react';
import { DigestText } from '@/components/ui/digest';
import { formatBytes } from '@/components/ui/format';
import { LayersXIcon, TrashIcon, WarningIcon } from '@/components/ui/icons';
import { PlatformList } from '@/components/ui/platform-badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { Skeleton } from '@/components/ui/skeleton';
import type { TagKind } from '@/lib/api/types';
import { pages } from '@/lib/routes';
import { indexEntriesId } from '@/components/manifest/section-ids';
import { AttachedMarkers } from './attached-markers';
import type { RowTrack } from './manifest-tracks';
import type { DisplayRow } from './tag-model';
import { sameRowContent, type RowContent } from './tag-row-equality';
import { TrackCell } from './track-cell';

const KIND_LABELS: Record<Exclude<TagKind, 'tag'>, string> = {
  'referrers-fallback': 'referrers index',
  signature: 'signature',
  attestation: 'attestation',
  sbom: 'SBOM',
};

/** What the row shows (compared by `sameRowContent`, with the row and its track typed) and its callbacks. */
export interface TagTableRowProps extends RowContent {
  row: DisplayRow;
  track: RowTrack | undefined;
  onToggle: (event: MouseEvent) => void;
  onSelectDigest: () => void;
  onShowFolded: () => void;
  onFocus: () => void;
  onDeleteTag: () => void;
  onDeleteManifest: () => void;
}

function TagTableRowView(props: TagTableRowProps) {
  const { row, source, repo, detailsLoading } = props;
  const tag = row.tag;
  const pending = tag.digest === null && detailsLoading && !tag.error;
  const cell = 'flex min-w-0 items-center';
  return (
    <div
      id={props.id}
      role="row"
      tabIndex={-1}
      data-testid="tag-row"
      data-tag={tag.name}
      onFocus={props.onFocus}
      style={props.style}
      className={clsx(
        'absolute top-0 left-0 grid w-full items-center gap-x-3 border-b border-zinc-100 px-2 text-sm dark:border-zinc-900',
        'outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-inset',
        props.selected ? 'bg-sky-50 dark:bg-sky-950/30' : props.active && 'bg-zinc-50 dark:bg-zinc-900/60',
      )}
    >
      <div role="cell" className={cell}>
        <input
          type="checkbox"
          checked={props.selected}
          onChange={() => undefined}
          onClick={props.onToggle}
          aria-label={`Select tag ${tag.name}`}
          className="h-4 w-4 accent-sky-700"
        />
      </div>
      <TrackCell track={props.track} lanes={props.lanes} sharing={tag.sharedWith.length + 1} onSelect={props.onSelectDigest} />
      <div role="cell" className={clsx(cell, 'gap-2', row.depth === 1 && 'pl-5')}>
        {row.depth === 1 ? <span aria-hidden="true" className="text-zinc-400">↳</span> : null}
        <PageLink
          href={pages.manifest(source, repo, tag.name)}
          title={tag.name}
          className="truncate rounded font-mono font-medium text-sky-800 hover:underline dark:text-sky-300"
        >
          {tag.name}
        </PageLink>
        {tag.kind !== 'tag' ? (
          <span className="shrink-0 rounded bg-zinc-100 px-1.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
            {KIND_LABELS[tag.kind]}
          </span>
        ) : null}
        {tag.digest ? (
          <AttachedMarkers
            attached={tag.attached}
            href={pages.referrers(source, repo, tag.digest)}
            indexAttestations={tag.indexAttestations}
            indexHref={`${pages.manifest(source, repo, tag.digest)}#${indexEntriesId(tag.digest)}`}
          />
        ) : null}
        {row.folded > 0 ? (
          <button
            type="button"
            onClick={props.onShowFolded}
            title="Show the signature, SBOM and referrer tags of this manifest"
            className="shrink-0 rounded px-1 text-xs text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 dark:hover:bg-zinc-800 dark:hover:text-zinc-200"
          >
            +{row.folded} {row.folded === 1 ? 'tag' : 'tags'}
          </button>
        ) : null}
      </div>
      <div role="cell" className={cell}>
        {tag.digest ? (
          <DigestText digest={tag.digest} />
        ) : pending ? (
          <Skeleton still className="h-4 w-24" />
        ) : tag.error ? (
          <span title={tag.error.message} className="inline-flex items-center gap-1 text-xs text-amber-700 dark:text-amber-400">
            <WarningIcon width={14} height={14} /> {tag.error.code}
          </span>
        ) : (
          <span className="text-zinc-400">—</span>
        )}
      </div>
      <div role="cell" className={cell}>
        {pending ? (
          <Skeleton still className="h-4 w-28" />
        ) : tag.platforms.length > 0 ? (
          <PlatformList platforms={tag.platforms} compact />
        ) : tag.artifactType ? (
          <span title={tag.artifactType} className="truncate font-mono text-xs text-zinc-500">
            {tag.artifactType}
          </span>
        ) : null}
      </div>
      <div role="cell" className={clsx(cell, 'justify-end tabular-nums')}>
        {pending ? <Skeleton still className="h-4 w-12" /> : tag.size !== null ? formatBytes(tag.size) : ''}
      </div>
      <div role="cell" className={cell}>
        {pending ? <Skeleton still className="h-4 w-20" /> : tag.created || tag.createdPlaceholder ? <RelativeTime iso={(tag.created ?? tag.createdPlaceholder)!} /> : ''}
      </div>
      <div role="cell" className={clsx(cell, 'justify-end gap-0.5')}>
        {props.canDelete ? (
          <>
            <button
              type="button"
              onClick={props.onDeleteTag}
              title={`Delete tag ${tag.name}`}
              aria-label={`Delete tag ${tag.name}`}
              className="rounded p-1.5 text-zinc-500 hover:bg-red-50 hover:text-red-700 dark:hover:bg-red-950/50 dark:hover:text-red-400"
            >
              <TrashIcon />
            </button>
            <button
              type="button"
              onClick={props.onDeleteManifest}
              disabled={!tag.digest}
              title={`Delete the manifest of ${tag.name}`}
              aria-label={`Delete the manifest of ${tag.name}`}
              className="rounded p-1.5 text-zinc-500 hover:bg-red-50 hover:text-red-700 disabled:opacity-30 dark:hover:bg-red-950/50 dark:hover:text-red-400"
            >
              <LayersXIcon />
            </button>
          </>
        ) : null}
      </div>
    </div>
  );
}

/** One tag in the table; re-renders only when what it shows changes (see {@link sameRowContent}). */
export const TagTableRow = memo(TagTableRowView, sameRowContent);
