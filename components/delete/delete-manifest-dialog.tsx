'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import type { DeleteManifestResponse, SourceKind } from '@/lib/api/types';
import { clientFetchers } from '@/lib/query/client-fetchers';
import { registryKeys } from '@/lib/query/keys';
import { registryQueries } from '@/lib/query/options';
import { CodeText } from './code-text';
import { describeManifestDelete } from './delete-text';
import { GcNote } from './gc-note';
import { flattenReferrers, ReferrerList } from './referrer-list';

export interface DeleteManifestDialogProps {
  source: string;
  sourceKind: SourceKind;
  repo: string;
  digest: string;
  /** Every tag on the digest. */
  tags: readonly string[];
  /** Referrers-fallback and cosign tags about the digest, when known. */
  artifactTags?: readonly string[];
  /** What to type to confirm when more than one tag is affected (default: the first tag). */
  confirmName?: string;
  open: boolean;
  onClose: () => void;
  onDeleted?: (result: DeleteManifestResponse) => void;
}

/** Deletes a manifest after listing every tag and referrer that goes with it; asks for a typed name if several tags go. */
export function DeleteManifestDialog(props: DeleteManifestDialogProps) {
  const { source, repo, digest, tags } = props;
  const queryClient = useQueryClient();
  const [cascade, setCascade] = useState(true);
  const [typed, setTyped] = useState('');
  const referrers = useQuery({ ...registryQueries.referrers(source, repo, digest), enabled: props.open });
  const count = referrers.data ? flattenReferrers(referrers.data.referrers).length : 0;
  const confirmName = props.confirmName ?? tags[0] ?? '';
  const needsTyping = tags.length > 1;
  const mutation = useMutation({
    mutationFn: () => clientFetchers.deleteManifest(source, repo, digest, cascade && count > 0),
    onSuccess: async (result) => {
      props.onDeleted?.(result);
      await queryClient.invalidateQueries({ queryKey: registryKeys.repo(source, repo) });
    },
  });
  const close = () => {
    mutation.reset();
    setTyped('');
    props.onClose();
  };
  const result = mutation.data;
  const ready = !referrers.isPending && (!needsTyping || typed === confirmName) && !mutation.isPending;
  return (
    <Dialog
      open={props.open}
      onClose={close}
      busy={mutation.isPending}
      title={result ? 'Manifest deleted' : 'Delete this manifest?'}
      footer={
        result ? (
          <Button onClick={close}>Close</Button>
        ) : (
          <>
            <Button onClick={close} disabled={mutation.isPending}>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => mutation.mutate()} disabled={!ready}>
              {mutation.isPending ? 'Deleting…' : tags.length > 1 ? `Delete manifest and ${tags.length} tags` : 'Delete manifest'}
            </Button>
          </>
        )
      }
    >
      {result ? (
        <div className="flex flex-col gap-3" data-testid="delete-result">
          <p>
            Deleted {result.deleted.length} {result.deleted.length === 1 ? 'manifest' : 'manifests'}
            {result.tags.length > 0 ? ' and the tags ' : '.'}
            {result.tags.length > 0 ? <CodeText text={result.tags.map((t) => `\`${t}\``).join(', ')} /> : null}
          </p>
          <GcNote kind={props.sourceKind} />
        </div>
      ) : (
        <div className="flex flex-col gap-3">
          <p data-testid="delete-consequence">
            <CodeText text={describeManifestDelete(digest, tags, count, cascade)} />
          </p>
          {props.artifactTags && props.artifactTags.length > 0 ? (
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              Tags that hold its signatures and referrers: <CodeText text={props.artifactTags.map((t) => `\`${t}\``).join(', ')} />
            </p>
          ) : null}
          {referrers.isPending ? (
            <Skeleton className="h-4 w-48" label="Looking for attached artifacts" />
          ) : referrers.isError ? (
            <ErrorState title="Could not list the attached artifacts" error={referrers.error} onRetry={() => void referrers.refetch()} />
          ) : count > 0 ? (
            <>
              <ReferrerList referrers={referrers.data.referrers} />
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={cascade} onChange={(e) => setCascade(e.target.checked)} className="h-4 w-4 accent-red-700" />
                Also delete the {count} attached {count === 1 ? 'artifact' : 'artifacts'}
              </label>
            </>
          ) : null}
          {needsTyping ? (
            <label className="flex flex-col gap-1">
              <span>
                Type <code className="rounded bg-zinc-100 px-1 dark:bg-zinc-800">{confirmName}</code> to confirm
              </span>
              <input
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                aria-label={`Type ${confirmName} to confirm`}
                className="h-9 rounded-md border border-zinc-300 bg-white px-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
              />
            </label>
          ) : null}
          {mutation.isError ? <ErrorState title="The manifest was not deleted" error={mutation.error} /> : null}
        </div>
      )}
    </Dialog>
  );
}
