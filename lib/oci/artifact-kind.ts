/**
 * Friendly names for what is attached to an image: by artifact type (referrers) and by tag name (cosign's
 * `sha256-<hex>.sig` tags and the spec's referrers fallback tag `sha256-<hex>`).
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#referrers-tag-schema
 * @see https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md
 */
import { Annotation } from './media-types';
import type { Digest } from './types';

/** What a tag name says it is. */
export type TagKind =
  | 'tag' // an ordinary tag
  | 'referrers-fallback' // `sha256-<hex>` holding a referrers index (spec tag schema)
  | 'signature' // cosign `sha256-<hex>.sig`
  | 'attestation' // cosign `sha256-<hex>.att`
  | 'sbom'; // cosign `sha256-<hex>.sbom`

/** Friendly kind of an artifact attached as a referrer. */
export type ArtifactKind = 'signature' | 'sbom' | 'provenance' | 'attestation' | 'other';

/** Annotations that name an in-toto predicate type (BuildKit/in-toto, and sigstore bundles as used by GitHub). */
// Where tools record an attestation's predicate type on the manifest: in-toto, sigstore bundles, and cosign's
// `dev.sigstore.cosign/predicateType` (set by `cosign attest`).
const PREDICATE_TYPE_ANNOTATIONS = [
  'in-toto.io/predicate-type',
  'dev.sigstore.bundle.predicateType',
  'dev.sigstore.cosign/predicateType',
];

function predicateKind(predicateType: string): ArtifactKind | undefined {
  const p = predicateType.toLowerCase();
  if (p.includes('slsa') && p.includes('provenance')) return 'provenance';
  if (p.includes('spdx') || p.includes('cyclonedx') || p.includes('sbom')) return 'sbom';
  return undefined;
}

/**
 * The kind of an artifact, from its `artifactType` (or config media type) and annotations:
 * signatures (cosign, notation, sigstore bundles), SBOMs (SPDX, CycloneDX, Syft), SLSA provenance, other
 * attestations (in-toto, cosign attestations, BuildKit attestation manifests), else `other`.
 */
export function artifactKind(artifactType?: string, annotations?: Record<string, string>): ArtifactKind {
  const type = (artifactType ?? '').toLowerCase();
  const predicate = PREDICATE_TYPE_ANNOTATIONS.map((key) => annotations?.[key]).find((value) => value);
  const attestationLike =
    type.includes('in-toto') || type.startsWith('application/vnd.dev.cosign.attestation') || type.startsWith('application/vnd.dev.sigstore.bundle');
  // An attestation's predicate type says more than its envelope's media type.
  if (predicate && (attestationLike || type === '')) return predicateKind(predicate) ?? 'attestation';
  if (type) {
    if (type.startsWith('application/vnd.dev.sigstore.bundle')) return 'signature';
    if (
      type === 'application/vnd.dev.cosign.artifact.sig.v1+json' ||
      type === 'application/vnd.dev.cosign.simplesigning.v1+json' ||
      type.startsWith('application/vnd.cncf.notary.signature') ||
      type.includes('signature')
    ) {
      return 'signature';
    }
    if (type.includes('spdx') || type.includes('cyclonedx') || type.includes('syft') || type.includes('sbom')) return 'sbom';
    if (type.includes('slsa') && type.includes('provenance')) return 'provenance';
    if (attestationLike) return 'attestation';
  }
  if (annotations?.[Annotation.DockerReferenceType] === 'attestation-manifest') return 'attestation';
  return 'other';
}

export interface TagKindInfo {
  kind: TagKind;
  /** For fallback and cosign tags: the digest the tag is about. */
  subjectDigest?: Digest;
}

const DIGEST_TAG = /^(sha256-[a-f0-9]{64}|sha512-[a-f0-9]{128})(?:\.(sig|att|sbom))?$/;
const COSIGN_SUFFIX: Record<string, TagKind> = { sig: 'signature', att: 'attestation', sbom: 'sbom' };

/**
 * What a tag name says it is: `sha256-<hex>` is a referrers fallback tag, `sha256-<hex>.sig|.att|.sbom` are
 * cosign's tags; anything else (including other suffixes such as regclient's `.meta`) is an ordinary tag.
 */
export function tagKind(name: string): TagKindInfo {
  const match = DIGEST_TAG.exec(name);
  if (!match) return { kind: 'tag' };
  const subjectDigest = match[1]!.replace('-', ':');
  const kind = match[2] ? COSIGN_SUFFIX[match[2]]! : 'referrers-fallback';
  return { kind, subjectDigest };
}
