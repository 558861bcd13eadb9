import { DeleteManifestButton } from '@/components/delete/delete-manifest-button';

/** Actions on the manifest the page is about: "Delete manifest" (the deletion feature's button and dialog). */
export function ManifestActions(props: { source: string; repo: string; digest: string; tags: readonly string[]; shownTag?: string }) {
  return (
    <div data-slot="manifest-actions" className="flex items-center gap-2">
      <DeleteManifestButton {...props} />
    </div>
  );
}
