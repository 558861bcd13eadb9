/**
 * Content negotiation for manifests: stored bytes are served exactly as pushed (never converted), so a
 * manifest whose media type the client's `Accept` excludes is answered like distribution does: 404
 * MANIFEST_UNKNOWN with a message saying why. No `Accept` (or `*\/*`, `application/*`) accepts everything.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pulling-manifests
 */
import 'server-only';
import { RegistryError } from '@/lib/oci/errors';

/** The media types an `Accept` header lists (lower-case, without parameters), minus those with `q=0`. */
export function acceptedTypes(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => part.split(';').map((piece) => piece.trim()))
    .filter(([type, ...params]) => type && !params.some((p) => /^q\s*=\s*0(?:\.0*)?$/i.test(p)))
    .map(([type]) => type!.toLowerCase());
}

/** Throws MANIFEST_UNKNOWN when `Accept` names media types and none matches `mediaType`. */
export function checkAcceptable(header: string | null, mediaType: string): void {
  const accepted = acceptedTypes(header);
  if (accepted.length === 0) return;
  const wanted = mediaType.toLowerCase();
  const [major] = wanted.split('/');
  if (accepted.some((type) => type === wanted || type === '*/*' || type === `${major}/*`)) return;
  throw new RegistryError('MANIFEST_UNKNOWN', `manifest found, but its media type ${mediaType} is not in the Accept header`, {
    detail: { mediaType },
  });
}
