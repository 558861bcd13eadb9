import 'server-only';
import { isDigest } from '@/lib/oci/digest';
import { RegistryError } from '@/lib/oci/errors';
import { parseManifest } from '@/lib/oci/manifest';
import { baseMediaType, MANIFEST_MEDIA_TYPES, MediaType } from '@/lib/oci/media-types';
import type { Descriptor, Digest } from '@/lib/oci/types';
import type { ManifestContent } from '@/lib/registry/registry';
import { header, MAX_MANIFEST_BYTES, readCapped } from './transport/body';
import type { RegistryClient } from './transport/client';
import { algorithmOf, hashBytes, type HashAlgorithm } from '../hash';
import { markVerifiedManifest } from '../verified-manifest';
import { schema1PayloadDigest } from './schema1';
import type { Exchange } from './transport/transport';

/**
 * The `Accept` header for manifests: all six types in one value. distribution 2.8.2 answers 404 for OCI content
 * when the OCI type is missing and tries a schema1 down-conversion (400) for Docker content without a Docker
 * type (verified), so leaving any out breaks real images.
 */
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

export function tooLargeManifest(host: string): RegistryError {
  return new RegistryError('MANIFEST_INVALID', `${host} sent a manifest larger than ${MAX_MANIFEST_BYTES} bytes (4 MiB); refused`, {
    status: 502,
  });
}

/** `Docker-Content-Digest` when present and well-formed with an algorithm we can compute. */
export function contentDigest(response: Pick<Exchange, 'headers'>): Digest | undefined {
  const value = header(response, 'docker-content-digest')?.trim();
  if (!value || !isDigest(value)) return undefined;
  const algorithm = value.split(':')[0];
  return algorithm === 'sha256' || algorithm === 'sha512' ? value : undefined;
}

/** The content type without parameters when it is a manifest type, else undefined (then the body decides). */
export function manifestContentType(response: Pick<Exchange, 'headers'>): string | undefined {
  const type = baseMediaType(header(response, 'content-type'));
  return MANIFEST_MEDIA_TYPES.includes(type) ? type : undefined;
}

/** The digest that addresses `bytes` as a manifest of `mediaType` (schema1 signed: the JWS payload's). */
export function manifestDigest(bytes: Uint8Array, mediaType: string, algorithm: HashAlgorithm): Digest {
  if (mediaType === MediaType.DockerSchema1Signed) {
    const payload = schema1PayloadDigest(bytes, algorithm);
    if (payload) return payload;
  }
  return hashBytes(bytes, algorithm);
}

/**
 * Reads a manifest GET response: at most 4 MiB (by Content-Length, then while streaming), exact bytes kept,
 * media type checked against the body (`parseManifest`, Content-Type parameters ignored), and the digest verified
 * against the requested digest and against `Docker-Content-Digest` when the registry sent one.
 */
export async function readManifest(client: RegistryClient, response: Exchange, expected: Digest | undefined, signal?: AbortSignal): Promise<ManifestContent> {
  const host = response.url.host;
  const bytes = await readCapped(response, MAX_MANIFEST_BYTES, () => tooLargeManifest(host), client.settings, signal);
  const announced = contentDigest(response);
  const contentType = manifestContentType(response);
  const parsed = parseManifest(bytes, contentType);
  const mediaType = parsed.mediaType;
  const algorithm = expected ? algorithmOf(expected) : announced ? algorithmOf(announced) : 'sha256';
  const digest = manifestDigest(bytes, mediaType, algorithm);
  if (expected && digest !== expected) {
    throw new RegistryError('DIGEST_INVALID', `${host} sent a manifest whose digest is ${digest}, not the requested ${expected}`, {
      status: 502,
      detail: { expected, actual: digest },
    });
  }
  if (announced && algorithmOf(announced) === algorithm && announced !== digest) {
    throw new RegistryError('DIGEST_INVALID', `${host} sent a manifest whose digest ${digest} differs from its Docker-Content-Digest ${announced}`, {
      status: 502,
      detail: { expected: announced, actual: digest },
    });
  }
  const descriptor: Descriptor = { mediaType, digest, size: bytes.length };
  if (mediaType !== MediaType.DockerSchema1Signed) {
    // Hashed and parsed here: the content cache keeps these bytes without doing it again. The media type is the
    // bytes' own when the body states it or nothing else (a Content-Type) decided it.
    const stated = typeof (parsed.manifest as { mediaType?: unknown }).mediaType === 'string' || contentType === undefined;
    markVerifiedManifest(bytes, { digest, ...(stated ? { mediaType } : {}) });
  }
  return { descriptor, bytes };
}
