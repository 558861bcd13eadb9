import 'server-only';
import { RegistryError } from '@/lib/oci/errors';
import type { Digest } from '@/lib/oci/types';
import { Scope } from './transport/auth';
import { discard, header } from './transport/body';
import { paths, type HttpContext } from './context';
import { contentDigest } from './manifest-response';

export interface PutManifestResult {
  /** `OCI-Subject` of the answer: a registry with the referrers API names the subject it indexed. */
  ociSubject?: string;
}

/**
 * `PUT /v2/<name>/manifests/<reference>` with the exact bytes, nothing else (no fallback-index upkeep). Checks
 * the registry's `Docker-Content-Digest` against our digest (regclient does too), so a proxy that rewrote the
 * manifest is caught.
 */
export async function putManifest(
  ctx: HttpContext,
  repo: string,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
  digest: Digest,
  signal?: AbortSignal,
): Promise<PutManifestResult> {
  const response = await ctx.client.send({
    method: 'PUT',
    path: paths.manifest(repo, reference),
    headers: { 'content-type': mediaType },
    body: bytes,
    scopes: [Scope.push(repo)],
    signal,
    notFound: 'NAME_UNKNOWN',
  });
  await discard(response);
  ctx.learned.write = true;
  const announced = contentDigest(response);
  if (announced && announced.split(':')[0] === digest.split(':')[0] && announced !== digest) {
    throw new RegistryError('DIGEST_INVALID', `${response.url.host} stored the manifest as ${announced}, expected ${digest}`, { status: 502 });
  }
  const ociSubject = header(response, 'oci-subject')?.trim();
  return ociSubject ? { ociSubject } : {};
}
