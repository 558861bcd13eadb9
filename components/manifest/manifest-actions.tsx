import { CompareWithButton } from '@/components/compare/compare-with-button';
import { CopyToButton } from '@/components/copy/copy-button';
import { DeleteManifestButton } from '@/components/delete/delete-manifest-button';

/** Actions on the manifest the page is about: "Compare with…", "Copy to…" (when a source allows writing) and "Delete manifest". */
export function ManifestActions(props: { source: string; repo: string; digest: string; tags: readonly string[]; shownTag?: string }) {
  return (
    <div data-slot="manifest-actions" className="flex items-center gap-2">
      <CompareWithButton source={props.source} repo={props.repo} from={props.shownTag ?? props.digest} />
      <CopyToButton source={props.source} repo={props.repo} digest={props.digest} {...(props.shownTag ? { shownTag: props.shownTag } : {})} />
      <DeleteManifestButton {...props} />
    </div>
  );
}
