import 'server-only';
import type { Digest } from '@/lib/oci/types';
import { hashBytes, type HashAlgorithm } from '../hash';

/**
 * The canonical digest of a signed Docker schema1 manifest (`…manifest.v1+prettyjws`).
 *
 * Registries address these by the digest of the JWS *payload*, not of the bytes they serve: the served bytes
 * carry a `signatures` array that the payload lacks. libtrust records how to rebuild the payload in each
 * signature's protected header: `formatLength` (bytes of the served document kept) and `formatTail` (base64url
 * text appended, normally `\n}`). Porthole computes that payload digest, so schema1 manifests are verified like
 * any other instead of trusting `Docker-Content-Digest` blindly.
 * @see https://github.com/distribution/distribution/blob/v2.8.2/manifest/schema1/manifest.go (SignedManifest.Payload)
 *
 * Returns undefined when the document carries no usable signature header (then the plain bytes digest applies).
 */
export function schema1PayloadDigest(bytes: Uint8Array, algorithm: HashAlgorithm): Digest | undefined {
  let document: { signatures?: Array<{ protected?: unknown }> };
  try {
    document = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  const encoded = document.signatures?.[0]?.protected;
  if (typeof encoded !== 'string') return undefined;
  let header: { formatLength?: unknown; formatTail?: unknown };
  try {
    header = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { formatLength, formatTail } = header;
  if (typeof formatLength !== 'number' || !Number.isInteger(formatLength) || formatLength < 0 || formatLength > bytes.length) return undefined;
  if (typeof formatTail !== 'string') return undefined;
  const tail = Buffer.from(formatTail, 'base64url');
  return hashBytes(Buffer.concat([bytes.subarray(0, formatLength), tail]), algorithm);
}
