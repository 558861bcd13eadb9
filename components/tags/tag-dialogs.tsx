'use client';

import dynamic from 'next/dynamic';
import type { SourceSummary, TagRow } from '@/lib/api/types';
import { copyItemsOf } from './selection-actions';
import { tagsSharingDigest } from './tag-model';

// Loaded when first asked for: the tag table's first paint and hydration do not wait for dialog code.
const CopyDialog = dynamic(() => import('@/components/copy/copy-dialog').then((m) => m.CopyDialog), { ssr: false });
const BulkDeleteDialog = dynamic(() => import('@/components/delete/bulk-delete-dialog').then((m) => m.BulkDeleteDialog), { ssr: false });
const DeleteManifestDialog = dynamic(() => import('@/components/delete/delete-manifest-dialog').then((m) => m.DeleteManifestDialog), { ssr: false });
const DeleteTagDialog = dynamic(() => import('@/components/delete/delete-tag-dialog').then((m) => m.DeleteTagDialog), { ssr: false });

/** What the user asked to do from the tag table: the dialog to show. */
export type TagIntent = { type: 'tag' | 'manifest'; tag: TagRow } | { type: 'bulk' | 'copy'; tags: TagRow[] } | null;

export interface TagDialogsProps {
  intent: TagIntent;
  source: string;
  repo: string;
  summary: SourceSummary | undefined;
  /** Every tag of the repository (artifact tags of a manifest to delete are named). */
  all: readonly TagRow[];
  /** Destinations of "Copy to…". */
  copyTargets: readonly SourceSummary[];
  onClose: () => void;
  /** Tags that are gone after a delete: they leave the selection. */
  onRemoved: (tags: readonly string[]) => void;
}

/** The dialog of the tag table's current intent: delete a tag, a manifest or the selection, or copy the selection. */
export function TagDialogs({ intent, source, repo, summary, all, copyTargets, onClose, onRemoved }: TagDialogsProps) {
  if (intent?.type === 'copy') return <CopyDialog open source={source} repo={repo} items={copyItemsOf(intent.tags)} targets={copyTargets} onClose={onClose} />;
  if (!summary || !intent) return null;
  const common = { open: true, source, sourceKind: summary.kind, repo, onClose };
  switch (intent.type) {
    case 'tag':
      return (
        <DeleteTagDialog
          {...common}
          tag={intent.tag.name}
          digest={intent.tag.digest}
          sharedWith={intent.tag.sharedWith}
          onDeleted={() => onRemoved([intent.tag.name])}
        />
      );
    case 'manifest':
      return intent.tag.digest ? (
        <DeleteManifestDialog
          {...common}
          digest={intent.tag.digest}
          tags={tagsSharingDigest(intent.tag)}
          artifactTags={all.filter((t) => t.subjectDigest === intent.tag.digest).map((t) => t.name)}
          confirmName={intent.tag.name}
          onDeleted={(result) => onRemoved(result.tags)}
        />
      ) : null;
    case 'bulk':
      return <BulkDeleteDialog {...common} tags={intent.tags} onFinished={onRemoved} />;
  }
}
