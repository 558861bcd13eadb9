/**
 * What the page of a repository without tags can truthfully say. The distribution API lists tags, never the
 * manifests stored without one (pushed by digest, or left behind when their tags were deleted), so neither
 * this page nor Cleanup can list them; Cleanup only names the manifests its own plan leaves without tags.
 */
import type { SourceKind } from '@/lib/api/types';

export function noTagsExplanation(kind: SourceKind | undefined): string {
  const why = 'Every tag was deleted, or images were pushed by digest only.';
  if (kind === 'layout') {
    return `${why} Manifests without a tag stay in the layout's index.json; Porthole lists tags only, so they are not shown here, but a manifest opens by its digest (…/-/manifests/sha256:…).`;
  }
  return (
    `${why} The registry API lists tags only, so manifests without a tag cannot be listed here or in Cleanup ` +
    '(a cleanup plan names only the manifests it leaves without tags). One you know the digest of opens by digest ' +
    '(…/-/manifests/sha256:…), where it can be deleted.'
  );
}
