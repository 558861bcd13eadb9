/**
 * What this process forgets after a change it made in a repository, whichever way the change came: the JSON API's
 * deletes and cleanups (`delete-execute.ts`) or `/v2` (`registry-server.ts`). Registry reads stay as they are;
 * only what was remembered about the repository is dropped, so the next view asks again.
 */
import 'server-only';
import type { Digest } from '@/lib/oci/types';
import { forgetBlobDetails, forgetDetails } from './details';
import { forgetRepositoryTags } from './digest-tags';
import { forgetSeen } from './presence';
import type { Source } from './sources';

/** After manifests were deleted from `repo`: their tags, presence and details there. */
export function forgetDeletedManifests(source: Source, repo: string, digests: readonly Digest[]): void {
  forgetRepositoryTags(source, repo);
  forgetSeen(source, repo, digests);
  forgetDetails(source, repo, digests);
}

/** After blob `digest` was deleted from `repo`: what was read of it there, and the details that used it. */
export function forgetDeletedBlob(source: Source, repo: string, digest: Digest): void {
  forgetBlobDetails(source, repo, digest);
}
