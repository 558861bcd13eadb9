'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { LockIcon, TrashIcon } from '@/components/ui/icons';
import { registryQueries } from '@/lib/query/options';
import { pages } from '@/lib/routes';
import { DeleteManifestDialog } from './delete-manifest-dialog';

export interface DeleteManifestButtonProps {
  source: string;
  repo: string;
  digest: string;
  /** Tags on the digest the page knows (ManifestResponse.tags); the dialog's plan resolves all of them. */
  tags: readonly string[];
  /** The tag the page was opened by, if any. */
  shownTag?: string;
}

/**
 * "Delete manifest" for the manifest page: opens {@link DeleteManifestDialog}; on a read-only source it is
 * disabled and says why. After a delete the dialog shows what went; closing it moves to the repository's tags (the
 * manifest is gone).
 */
export function DeleteManifestButton({ source, repo, digest, tags, shownTag }: DeleteManifestButtonProps) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const sources = useQuery(registryQueries.sources());
  const summary = sources.data?.sources.find((s) => s.name === source);
  if (!summary) return null;
  if (!summary.delete) {
    return (
      <span data-testid="delete-unavailable" className="inline-flex items-center gap-1 text-xs text-zinc-500 dark:text-zinc-400">
        <LockIcon width={12} height={12} /> Deleting is not available: {summary.readOnlyReason ?? 'this source is read-only'}
      </span>
    );
  }
  return (
    <>
      <Button variant="danger" size="sm" onClick={() => setOpen(true)}>
        <TrashIcon width={14} height={14} /> Delete manifest
      </Button>
      {open ? (
        <DeleteManifestDialog
          open
          source={source}
          sourceKind={summary.kind}
          repo={repo}
          digest={digest}
          tags={tags}
          {...(shownTag ? { confirmName: shownTag } : {})}
          doneLabel="Go to the tag list"
          onClose={() => (deleted ? router.push(pages.tags(source, repo)) : setOpen(false))}
          onDeleted={() => setDeleted(true)}
        />
      ) : null}
    </>
  );
}
