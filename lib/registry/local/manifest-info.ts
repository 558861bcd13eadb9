/**
 * What the local backends need to know about a manifest: checks on push (size cap, media type, body),
 * the blobs and child manifests it refers to, and the descriptor it contributes to its subject's referrers.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pushing-manifests
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#listing-referrers
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import { manifestReferences, parseManifest, type ManifestReferences } from '@/lib/oci/manifest';
import { MANIFEST_MEDIA_TYPES, baseMediaType } from '@/lib/oci/media-types';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { hashBytes } from '@/lib/registry/hash';

/** Manifests above 4 MiB are refused (the spec's SHOULD-accept floor, and regclient's push limit). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface ManifestInfo {
  /** mediaType, digest (sha256 of the exact bytes) and size. */
  descriptor: Descriptor;
  references: ManifestReferences;
  /** The descriptor listed in the subject's referrers, when the manifest has a `subject`. */
  referrer?: { subject: Digest; descriptor: Descriptor };
}

/**
 * Checks a manifest about to be pushed: at most 4 MiB, a manifest media type, a body that parses and whose
 * `mediaType` (if any) equals the content type. Throws MANIFEST_INVALID naming what is wrong.
 */
export function inspectPushedManifest(bytes: Uint8Array, contentType: string): ManifestInfo {
  if (bytes.byteLength > MAX_MANIFEST_BYTES) {
    throw new RegistryError('MANIFEST_INVALID', `manifest is larger than ${MAX_MANIFEST_BYTES} bytes`, {
      detail: { size: bytes.byteLength },
    });
  }
  const mediaType = baseMediaType(contentType);
  if (!MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    throw new RegistryError('MANIFEST_INVALID', `"${mediaType || '(none)'}" is not a manifest media type`);
  }
  return describeManifest(bytes, mediaType, hashBytes(bytes));
}

/**
 * Parses stored manifest bytes whose digest is known. `mediaType` is the content type to check the body
 * against (omit it to take the body's own or duck-typed type). Throws MANIFEST_INVALID.
 */
export function describeManifest(bytes: Uint8Array, mediaType: string | undefined, digest: Digest): ManifestInfo {
  const parsed = parseManifest(bytes, mediaType);
  if (mediaType && parsed.mediaType !== mediaType) {
    throw new RegistryError('MANIFEST_INVALID', `manifest media type "${parsed.mediaType}" does not match "${mediaType}"`);
  }
  const descriptor: Descriptor = { mediaType: parsed.mediaType, digest, size: bytes.byteLength };
  const references = manifestReferences(parsed.manifest);
  const info: ManifestInfo = { descriptor, references };
  if (references.subject) {
    info.referrer = { subject: references.subject.digest, descriptor: referrerDescriptor(descriptor, parsed.manifest) };
  }
  return info;
}

/**
 * The referrers-list entry for a manifest: its mediaType/digest/size, `artifactType` (the manifest's, else
 * the config media type of an image manifest, even an image config — the spec's rule, which regclient and
 * the fixture's fallback indexes follow) and a copy of its annotations.
 */
export function referrerDescriptor(descriptor: Descriptor, manifest: object): Descriptor {
  const body = manifest as { artifactType?: unknown; config?: { mediaType?: unknown }; annotations?: unknown };
  const out: Descriptor = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
  const artifactType =
    typeof body.artifactType === 'string'
      ? body.artifactType
      : typeof body.config?.mediaType === 'string'
        ? body.config.mediaType
        : undefined;
  if (artifactType) out.artifactType = artifactType;
  if (body.annotations && typeof body.annotations === 'object' && Object.keys(body.annotations).length > 0) {
    out.annotations = { ...(body.annotations as Record<string, string>) };
  }
  return out;
}

/** Blob references a push must find: everything except foreign layers with `urls` (Windows base layers). */
export function requiredBlobs(references: ManifestReferences): Descriptor[] {
  return references.blobs.filter((blob) => !(blob.urls && blob.urls.length > 0));
}
