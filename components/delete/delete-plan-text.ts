/**
 * What a manifest delete will do, in words, from the server's delete plan (every tag resolved, every referrer's
 * subject read). Pure, so the exact sentences are unit-tested. Backticks mark code; `<CodeText>` renders them.
 */
import type { DeletePlan, TagKind } from '@/lib/api/types';
import { shortDigest } from '@/lib/oci/digest';

export function short(digest: string): string {
  return `${digest.slice(0, digest.indexOf(':') + 1)}${shortDigest(digest)}…`;
}

export function codeList(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The headline: which manifests and how many tags go, and what happens to the attached artifacts. */
export function describePlan(plan: DeletePlan): string {
  const names = plan.tags.map((t) => t.name);
  const tagPart =
    names.length === 0
      ? `No tag points at it (all ${plural(plan.tagsChecked, 'tag', 'tags')} of the repository checked).`
      : names.length === 1
        ? `Its tag ${codeList(names)} is removed with it.`
        : `${names.length} tags are removed: ${codeList(names)}.`;
  const referrers = plan.referrers.length;
  const referrerPart =
    referrers === 0
      ? ''
      : plan.cascade
        ? ` ${plural(referrers, 'artifact', 'artifacts')} attached to it (signatures, SBOMs, attestations) ${referrers === 1 ? 'is' : 'are'} deleted too.`
        : ` ${plural(referrers, 'artifact', 'artifacts')} attached to it ${referrers === 1 ? 'stays' : 'stay'}, pointing at a manifest that no longer exists.`;
  return `The manifest \`${short(plan.digest)}\` is deleted from the repository. ${tagPart}${referrerPart}`;
}

/** Typed confirmation: when any tag other than the one the user is looking at goes, or an index breaks. */
export function needsTypedConfirmation(plan: DeletePlan, shownTag: string | undefined): boolean {
  return plan.tags.some((t) => t.name !== shownTag) || plan.referencedBy.length > 0;
}

/** What to type: the tag the user is looking at when it goes, else the first tag that goes, else the short digest. */
export function confirmationText(plan: DeletePlan, shownTag: string | undefined): string {
  if (shownTag && plan.tags.some((t) => t.name === shownTag)) return shownTag;
  return plan.tags[0]?.name ?? shortDigest(plan.digest);
}

/** What a fallback or cosign tag is, for people who have never heard of the referrers tag schema. */
export function describeArtifactTag(name: string, kind: TagKind, subject: string): string {
  switch (kind) {
    case 'referrers-fallback':
      return `\`${name}\` is the referrers index of \`${short(subject)}\` (the OCI referrers tag schema): on registries without the referrers API it is the only place that lists the signatures, SBOMs and attestations attached to that manifest.`;
    case 'signature':
      return `\`${name}\` is the cosign signature tag of \`${short(subject)}\`.`;
    case 'attestation':
      return `\`${name}\` is the cosign attestation tag of \`${short(subject)}\`.`;
    case 'sbom':
      return `\`${name}\` is the cosign SBOM tag of \`${short(subject)}\`.`;
    default:
      return `\`${name}\` is an ordinary tag.`;
  }
}

/** Deleting a referrers fallback tag on its own: what the image loses (its artifacts stay, unfindable). */
export function describeFallbackTagDelete(name: string, subject: string, listed: number): string {
  const what =
    listed === 0
      ? 'It lists no artifact now.'
      : `Without it, ${subject ? `\`${short(subject)}\`` : 'the image'} shows none of its ${plural(listed, 'attached artifact', 'attached artifacts')}: ${listed === 1 ? 'it stays' : 'they stay'} in the repository, but clients that rely on this tag (registries without the referrers API, such as distribution) can no longer find ${listed === 1 ? 'it' : 'them'} from the image.`;
  return `${describeArtifactTag(name, 'referrers-fallback', subject)} ${what}`;
}
