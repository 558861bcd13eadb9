'use client';

import { CopyDialog } from '@/components/copy/copy-dialog';
import { BulkDeleteDialog } from '@/components/delete/bulk-delete-dialog';
import { DeleteManifestDialog } from '@/components/delete/delete-manifest-dialog';
import { DeleteTagDialog } from '@/components/delete/delete-tag-dialog';
import type { SourceSummary, TagRow } from '@/lib/api/types';
import { copyItemsOf } from './selection-actions';
import { tagsSharingDigest } from './tag-model';

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
