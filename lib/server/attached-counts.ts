/**
 * What is attached to each digest of a tag listing, counted once per manifest.
 *
 * A referrer can be seen twice: listed in the subject's referrers fallback index (`sha256-<hex>`) and tagged
 * by cosign (`sha256-<hex>.sig`), both naming the same signature manifest. Counting by tag would say "2
 * signatures" for one; here every referrer is keyed by its own digest, per subject.
 *
 * Attestation entries of an index (BuildKit's attestation manifests) are not referrers: they live inside the
 * index and the referrer graph does not show them. They are counted apart, per index digest.
 */
import 'server-only';
import type { ArtifactKind, AttachedCounts, TagRow } from '@/lib/api/types';
import { tagKind } from '@/lib/oci/artifact-kind';
import type { Digest } from '@/lib/oci/types';
import type { ManifestDetails } from './details';

/** A tag as the listing resolved it: its digest and details when they could be read. */
export interface ResolvedTag {
  name: string;
  descriptor?: { digest: Digest };
  details?: ManifestDetails;
}

export interface AttachedByDigest {
  /** Referrers seen through fallback and cosign tags, by subject digest; each referrer manifest once. */
  referrers: Map<Digest, AttachedCounts>;
  /** Attestation entries inside an index, by index digest. */
  indexAttestations: Map<Digest, AttachedCounts>;
}

const COSIGN_KIND: Partial<Record<TagRow['kind'], ArtifactKind>> = { signature: 'signature', attestation: 'attestation', sbom: 'sbom' };

function tally(kinds: ReadonlyMap<string, ArtifactKind>): AttachedCounts {
  const counts: AttachedCounts = {};
  for (const kind of kinds.values()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** Counts referrers (once per referrer digest) and index attestation entries for a listing's tags. */
export function attachedByDigest(tags: readonly ResolvedTag[]): AttachedByDigest {
  // subject → referrer key (its digest, or the tag name when the tag could not be read) → kind
  const seen = new Map<Digest, Map<string, ArtifactKind>>();
  const note = (subject: Digest, key: string, kind: ArtifactKind) => {
    const referrers = seen.get(subject) ?? new Map<string, ArtifactKind>();
    // The more specific kind wins when two sources name the same manifest differently.
    if (!referrers.has(key) || referrers.get(key) === 'other') referrers.set(key, kind);
    seen.set(subject, referrers);
  };
  const indexAttestations = new Map<Digest, AttachedCounts>();
  for (const tag of tags) {
    const info = tagKind(tag.name);
    if (info.subjectDigest) {
      const cosign = COSIGN_KIND[info.kind];
      if (cosign) note(info.subjectDigest, tag.descriptor?.digest ?? `tag:${tag.name}`, cosign);
      // A fallback tag holds an index listing the subject's referrers (not always: regclient's `mirror`).
      else if (info.kind === 'referrers-fallback') {
        const kinds = tag.details?.entryKinds ?? [];
        const digests = tag.details?.entryDigests ?? [];
        kinds.forEach((kind, i) => note(info.subjectDigest!, digests[i] ?? `entry:${tag.name}#${i}`, kind));
      }
    }
    if (tag.descriptor && tag.details?.attestations) indexAttestations.set(tag.descriptor.digest, { ...tag.details.attestations });
  }
  const referrers = new Map<Digest, AttachedCounts>();
  for (const [subject, kinds] of seen) referrers.set(subject, tally(kinds));
  return { referrers, indexAttestations };
}
