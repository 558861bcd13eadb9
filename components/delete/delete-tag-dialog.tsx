'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { DeleteTagResponse, SourceKind } from '@/lib/api/types';
import { tagKind } from '@/lib/oci/artifact-kind';
import { clientFetchers } from '@/lib/query/client-fetchers';
import { registryKeys } from '@/lib/query/keys';
import { registryQueries } from '@/lib/query/options';
import { CodeText } from './code-text';
import { describeArtifactTag, describeFallbackTagDelete } from './delete-plan-text';
import { describeTagDelete } from './delete-text';
import { GcNote } from './gc-note';

export interface DeleteTagDialogProps {
  source: string;
  sourceKind: SourceKind;
  repo: string;
  tag: string;
  digest: string | null;
  sharedWith: readonly string[];
  open: boolean;
  onClose: () => void;
  onDeleted?: (result: DeleteTagResponse) => void;
}

/** Deletes one tag and says beforehand exactly what happens to its manifest and sibling tags. */
export function DeleteTagDialog(props: DeleteTagDialogProps) {
  const { source, repo, tag } = props;
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => clientFetchers.deleteTag(source, repo, tag),
    onSuccess: async (result) => {
      props.onDeleted?.(result);
      await queryClient.invalidateQueries({ queryKey: registryKeys.repo(source, repo) });
    },
  });
  const close = () => {
    mutation.reset();
    props.onClose();
  };
  const result = mutation.data;
  const info = tagKind(tag);
  // A referrers fallback tag holds the list of the image's artifacts: say how many the image stops showing.
  const fallback = useQuery({ ...registryQueries.manifest(source, repo, tag), enabled: props.open && info.kind === 'referrers-fallback' });
  const artifactNote = !info.subjectDigest
    ? undefined
    : info.kind !== 'referrers-fallback'
      ? describeArtifactTag(tag, info.kind, info.subjectDigest)
      : fallback.data
        ? describeFallbackTagDelete(tag, info.subjectDigest, fallback.data.children?.length ?? 0)
        : describeArtifactTag(tag, info.kind, info.subjectDigest);
  return (
    <Dialog
      open={props.open}
      onClose={close}
      busy={mutation.isPending}
      title={result ? `Deleted tag ${tag}` : `Delete tag ${tag}?`}
      footer={
        result ? (
          <Button onClick={close}>Close</Button>
        ) : (
          <>
            <Button onClick={close} disabled={mutation.isPending}>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => mutation.mutate()} disabled={mutation.isPending} title={`Delete tag ${tag}`}>
              <span className="truncate">{mutation.isPending ? 'Deleting…' : `Delete tag ${tag}`}</span>
            </Button>
          </>
        )
      }
    >
      {result ? (
        <div className="flex flex-col gap-3" data-testid="delete-result">
          <p>
            <CodeText
              text={
                result.remainingTags.length > 0
                  ? `\`${tag}\` is gone; ${result.remainingTags.map((t) => `\`${t}\``).join(', ')} still ${result.remainingTags.length === 1 ? 'points' : 'point'} at \`${result.digest}\`.`
                  : `\`${tag}\` is gone. No tag points at \`${result.digest}\` any more.`
              }
            />
          </p>
          <p className="text-xs text-zinc-500">
            {result.method === 'native'
              ? 'The registry removed the tag itself (OCI tag delete).'
              : 'This registry cannot delete a tag alone, so Porthole moved the tag to a placeholder manifest and deleted that; the original manifest was not touched.'}
          </p>
          <GcNote kind={props.sourceKind} />
        </div>
      ) : (
        <div className="flex flex-col gap-3">
          {artifactNote ? (
            <p data-testid="delete-artifact-tag" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
              <CodeText text={artifactNote} />
            </p>
          ) : null}
          <p data-testid="delete-consequence">
            <CodeText text={describeTagDelete(tag, props.digest, props.sharedWith)} />
          </p>
          {mutation.isError ? <ErrorState title="The tag was not deleted" error={mutation.error} /> : null}
        </div>
      )}
    </Dialog>
  );
}
