'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { DeleteManifestResponse, SourceKind } from '@/lib/api/types';
import { isRegistryError } from '@/lib/oci/errors';
import { registryKeys } from '@/lib/query/keys';
import { shouldRetry } from '@/lib/query/options';
import { CodeText } from './code-text';
import { deletePlanned, fetchDeletePlan } from './delete-plan-client';
import { codeList, confirmationText, needsTypedConfirmation, short } from './delete-plan-text';
import { DeletePlanView } from './delete-plan-view';
import { GcNote } from './gc-note';

export interface DeleteManifestDialogProps {
  source: string;
  sourceKind: SourceKind;
  repo: string;
  digest: string;
  /** Tags the page knows on the digest (shown until the plan, which resolves every tag, arrives). */
  tags: readonly string[];
  /** Referrers-fallback and cosign tags about the digest, when known (the plan lists them anyway). */
  artifactTags?: readonly string[];
  /** The tag the user is looking at (the row's tag, or the tag the manifest page was opened by). */
  confirmName?: string;
  /** Label of the button that ends the dialog after the delete (default "Close"). */
  doneLabel?: string;
  open: boolean;
  onClose: () => void;
  onDeleted?: (result: DeleteManifestResponse) => void;
}

/**
 * Deletes a manifest after showing the server's delete plan: every tag of the repository resolved, every tag and
 * manifest that goes, indexes that break, referrers that stay. The confirmation is typed when more than the tag the
 * user is looking at goes. The delete sends the plan back (`expect`), so it removes exactly what was shown.
 */
export function DeleteManifestDialog(props: DeleteManifestDialogProps) {
  const { source, repo, digest } = props;
  const queryClient = useQueryClient();
  const [cascade, setCascade] = useState(true);
  const [typed, setTyped] = useState('');
  const [progress, setProgress] = useState<{ resolved: number; total: number } | null>(null);
  const shownTag = props.confirmName ?? (props.tags.length === 1 ? props.tags[0] : undefined);
  const plan = useQuery({
    queryKey: [...registryKeys.repo(source, repo), 'delete-plan', digest, cascade],
    queryFn: ({ signal }) => fetchDeletePlan(source, repo, digest, cascade, (resolved, total) => setProgress({ resolved, total }), signal),
    enabled: props.open,
    staleTime: 0,
    gcTime: 0,
    retry: shouldRetry,
    refetchOnWindowFocus: false,
    // Keep showing the last plan while the other one (cascade toggled) is worked out; confirming waits for it.
    placeholderData: (previous) => previous,
  });
  const mutation = useMutation({
    mutationFn: () => deletePlanned(source, repo, plan.data!),
    onSuccess: async (result) => {
      props.onDeleted?.(result);
      // Mark everything of the repository stale without reloading what was just deleted under the open page
      // (that would replace it with "manifest unknown"); tag lists reload now.
      await queryClient.invalidateQueries({ queryKey: registryKeys.repo(source, repo), refetchType: 'none' });
      await queryClient.refetchQueries({ queryKey: [...registryKeys.repo(source, repo), 'tags'], type: 'active' });
    },
    onError: (error) => {
      // The registry changed since the plan was shown: show the new plan, to be confirmed again.
      if (isRegistryError(error) && error.status === 409) {
        setTyped('');
        void plan.refetch();
      }
    },
  });
  const close = () => {
    mutation.reset();
    setTyped('');
    props.onClose();
  };
  const result = mutation.data;
  const data = plan.data;
  const typing = data ? needsTypedConfirmation(data, shownTag) : false;
  const confirmName = data ? confirmationText(data, shownTag) : '';
  const ready = !!data && !plan.isFetching && (!typing || typed === confirmName) && !mutation.isPending;
  const label = !data
    ? 'Delete manifest'
    : data.manifests.length > 1
      ? `Delete ${data.manifests.length} manifests and ${data.tags.length} ${data.tags.length === 1 ? 'tag' : 'tags'}`
      : data.tags.length > 1
        ? `Delete manifest and ${data.tags.length} tags`
        : 'Delete manifest';
  return (
    <Dialog
      open={props.open}
      onClose={close}
      busy={mutation.isPending}
      title={result ? 'Manifest deleted' : 'Delete this manifest?'}
      footer={
        result ? (
          <Button onClick={close}>{props.doneLabel ?? 'Close'}</Button>
        ) : (
          <>
            <Button onClick={close} disabled={mutation.isPending}>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => mutation.mutate()} disabled={!ready}>
              {mutation.isPending ? 'Deleting…' : label}
            </Button>
          </>
        )
      }
    >
      {result ? (
        <div className="flex min-w-0 flex-col gap-3" data-testid="delete-result">
          <p>
            <CodeText
              text={`Deleted ${result.deleted.length === 1 ? 'the manifest' : `${result.deleted.length} manifests`} ${codeList(result.deleted.map(short))}${
                result.tags.length > 0 ? ` and ${result.tags.length === 1 ? 'the tag' : `${result.tags.length} tags`} ${codeList(result.tags)}.` : '; no tag pointed at it.'
              }`}
            />
          </p>
          <GcNote kind={props.sourceKind} />
        </div>
      ) : (
        <div className="flex min-w-0 flex-col gap-3">
          {plan.isPending || (plan.isFetching && !data) ? (
            <div className="flex flex-col gap-2" data-testid="delete-plan-progress">
              <p className="text-sm">
                Checking every tag of the repository{progress && progress.total > 0 ? `: ${progress.resolved} of ${progress.total}` : '…'}
              </p>
              <ProgressBar value={progress?.resolved ?? 0} max={progress?.total ?? 0} label="Tags checked" />
            </div>
          ) : plan.isError ? (
            <ErrorState title="Could not work out what the delete removes" error={plan.error} onRetry={() => void plan.refetch()} retrying={plan.isFetching} />
          ) : data ? (
            <>
              <DeletePlanView plan={data} />
              {data.referrers.length > 0 ? (
                <label className="flex items-center gap-2">
                  <input type="checkbox" checked={cascade} onChange={(e) => setCascade(e.target.checked)} className="h-4 w-4 accent-red-700" />
                  Also delete the {data.referrers.length} attached {data.referrers.length === 1 ? 'artifact' : 'artifacts'}
                </label>
              ) : null}
              {typing ? (
                <label className="flex flex-col gap-1">
                  <span>
                    Type <code className="rounded bg-zinc-100 px-1 break-all dark:bg-zinc-800">{confirmName}</code> to confirm
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
            </>
          ) : null}
          {mutation.isError ? <ErrorState title="The manifest was not deleted" error={mutation.error} /> : null}
        </div>
      )}
    </Dialog>
  );
}
