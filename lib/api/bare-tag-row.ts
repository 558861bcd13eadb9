/**
 * A tag row without details (`details=false`, or before the tag is resolved): what a name alone says. Pure and
 * shared: the server's answers build it (lib/server/shape.ts), and the tags page builds the rows of the names it
 * was sent (only names travel in its HTML, see lib/query/options.ts `tagNames`).
 */
import type { TagKindInfo } from '@/lib/oci/artifact-kind';
import { tagKind } from '@/lib/oci/artifact-kind';
import type { TagRow } from './types';

export function shapeBareTagRow(name: string, info: TagKindInfo = tagKind(name)): TagRow {
  const row: TagRow = {
    name,
    kind: info.kind,
    digest: null,
    mediaType: null,
    manifestKind: null,
    size: null,
    created: null,
    platforms: [],
    sharedWith: [],
  };
  if (info.subjectDigest) row.subjectDigest = info.subjectDigest;
  return row;
}
