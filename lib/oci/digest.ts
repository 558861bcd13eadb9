/**
 * Digests per image-spec: parse and validate. Pure (the browser uses it too); computing digests is
 * server-side, in `lib/registry/hash.ts` (`node:crypto`).
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/descriptor.md#digests
 */
import { RegistryError } from './errors';
import type { Digest } from './types';

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  encoded: string;
}

/**
 * The only algorithms Porthole accepts: the two the image spec registers (and that it can compute). A digest with
 * any other algorithm, even a grammatically valid one (`md5:`, `sha384:`, `sha256+b64:`), is refused before any
 * I/O: it could not be verified, registries answer it inconsistently (distribution: 500), and accepting it
 * would let an unverifiable name travel into caches and deletes.
 */
export type DigestAlgorithm = 'sha256' | 'sha512';

const ALGORITHM = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*$/;
const ENCODED = /^[a-zA-Z0-9=_-]+$/;
/** Registered algorithms with a fixed encoding: lower-case hex of a fixed length. */
const HEX_LENGTHS: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** Shortens untrusted input for an error message. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function invalid(message: string): RegistryError {
  return new RegistryError('DIGEST_INVALID', message);
}

function unsupported(algorithm: string): RegistryError {
  return invalid(`digest algorithm ${quote(algorithm)} is not supported (only sha256 and sha512)`);
}

export function isSupportedAlgorithm(algorithm: string): algorithm is DigestAlgorithm {
  return Object.hasOwn(HEX_LENGTHS, algorithm);
}

/**
 * Parses and validates a digest: `sha256:` + 64 lower-case hex, or `sha512:` + 128 lower-case hex. Anything else,
 * including well-formed digests of other algorithms, throws RegistryError DIGEST_INVALID naming what is wrong.
 * This is the one digest check of the code base (API input, registry headers, manifest descriptors, layouts).
 */
export function parseDigest(value: string): ParsedDigest {
  if (typeof value !== 'string' || value === '') throw invalid('digest must not be empty');
  const colon = value.indexOf(':');
  if (colon < 0) throw invalid(`digest ${quote(value)} must have the form algorithm:encoded (e.g. sha256:<64 hex>)`);
  const algorithm = value.slice(0, colon);
  const encoded = value.slice(colon + 1);
  if (!ALGORITHM.test(algorithm)) {
    throw invalid(`digest ${quote(value)} has an invalid algorithm ${quote(algorithm)}: lower-case letters and digits, separated by + . _ or -`);
  }
  if (!ENCODED.test(encoded)) {
    throw invalid(`digest ${quote(value)} has an invalid encoded part: only letters, digits, =, _ and - are allowed`);
  }
  if (!isSupportedAlgorithm(algorithm)) throw unsupported(algorithm);
  const length = HEX_LENGTHS[algorithm];
  if (!/^[a-f0-9]+$/.test(encoded) || encoded.length !== length) {
    throw invalid(
      `${algorithm} digest ${quote(value)} must have exactly ${length} lower-case hex characters after "${algorithm}:" (got ${encoded.length}${/^[a-f0-9]*$/.test(encoded) ? '' : ', not all lower-case hex'})`,
    );
  }
  return { algorithm, encoded };
}

/** True when `value` is a valid digest. */
export function isDigest(value: string): boolean {
  try {
    parseDigest(value);
    return true;
  } catch {
    return false;
  }
}

/** `sha256:abcdef012345` → `abcdef012345` (12 chars of the encoded part), for display. */
export function shortDigest(digest: Digest, length = 12): string {
  const colon = digest.indexOf(':');
  return digest.slice(colon + 1, colon + 1 + length);
}
