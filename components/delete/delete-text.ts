/**
 * What a delete will do, in words, before it happens. Pure, so the exact sentences are unit-tested.
 * Backticks mark code; `<CodeText>` renders them.
 */
import { shortDigest } from '@/lib/oci/digest';

function short(digest: string): string {
  return `${digest.slice(0, digest.indexOf(':') + 1)}${shortDigest(digest)}…`;
}

function list(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** The consequence of deleting one tag: siblings keep the manifest, or the manifest stays untagged. */
export function describeTagDelete(tag: string, digest: string | null, sharedWith: readonly string[]): string {
  if (!digest) return `Only the tag \`${tag}\` is removed. Its manifest stays in the repository.`;
  if (sharedWith.length > 0) {
    const verb = sharedWith.length === 1 ? 'keeps' : 'keep';
    return `Only \`${tag}\` is removed; ${list(sharedWith)} ${verb} pointing at \`${short(digest)}\`.`;
  }
  return `Only \`${tag}\` is removed. It is the last tag on \`${short(digest)}\`: the manifest stays, untagged and still pullable by digest, until it is deleted or garbage-collected.`;
}

/** The consequence of deleting a manifest: every tag on it goes, and its referrers (or they are left dangling). */
export function describeManifestDelete(digest: string, tags: readonly string[], referrers: number, cascade: boolean): string {
  const tagPart =
    tags.length === 0
      ? 'No tag points at it.'
      : tags.length === 1
        ? `Its tag ${list(tags)} is removed with it.`
        : `All ${tags.length} tags on it are removed: ${list(tags)}.`;
  const referrerPart =
    referrers === 0
      ? ''
      : cascade
        ? ` ${referrers === 1 ? 'The 1 artifact' : `The ${referrers} artifacts`} attached to it (signatures, SBOMs, attestations) ${referrers === 1 ? 'is' : 'are'} deleted too.`
        : ` ${referrers === 1 ? 'The 1 artifact' : `The ${referrers} artifacts`} attached to it ${referrers === 1 ? 'stays' : 'stay'}, pointing at a manifest that no longer exists.`;
  return `The manifest \`${short(digest)}\` is deleted from the repository. ${tagPart}${referrerPart}`;
}

/** For a bulk tag delete: which selected tags leave siblings that are not selected (those survive). */
export function describeBulkSurvivors(selected: readonly { name: string; sharedWith: readonly string[] }[]): string[] {
  const chosen = new Set(selected.map((t) => t.name));
  const notes: string[] = [];
  for (const tag of selected) {
    const survivors = tag.sharedWith.filter((s) => !chosen.has(s));
    if (survivors.length > 0) notes.push(`\`${tag.name}\`: ${list(survivors)} ${survivors.length === 1 ? 'keeps' : 'keep'} the manifest.`);
  }
  return notes;
}
