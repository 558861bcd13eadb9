/**
 * `/v2/<name>/manifests/<reference>`: GET and HEAD by tag or digest (exact bytes, `Accept` respected, ETag
 * and `If-None-Match`), PUT (size-capped, checked, digest verified, `OCI-Subject` when the manifest has a
 * subject) and DELETE (by digest: the manifest and its tags; by tag: only that tag).
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pushing-manifests
 */
import 'server-only';
import { createHash } from 'node:crypto';
import { parseDigest } from '@/lib/oci/digest';
import { RegistryError } from '@/lib/oci/errors';
import { isValidTag, validateTag } from '@/lib/oci/reference';
import { inspectPushedManifest, MAX_MANIFEST_BYTES } from '@/lib/registry/local/manifest-info';
import type { Descriptor } from '@/lib/registry/registry';
import { checkAcceptable } from './accept';
import { authorize } from './access';
import { readBounded } from './body';
import { reported, type Call } from './call';
import { reply } from './respond';
import { checkDigest, isDigestReference } from './route';

function manifestHeaders(descriptor: Descriptor): Record<string, string> {
  return {
    'content-type': descriptor.mediaType,
    'content-length': String(descriptor.size),
    'docker-content-digest': descriptor.digest,
    etag: `"${descriptor.digest}"`,
  };
}

/** A GET/HEAD reference: a checked digest, or a tag (an invalid tag cannot name anything: 404, as registries answer). */
function readReference(reference: string): { digest: string } | { tag: string } {
  if (isDigestReference(reference)) return { digest: checkDigest(reference) };
  if (!isValidTag(reference)) {
    throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown: the reference is neither a valid tag nor a digest', { detail: { reference: reference.slice(0, 140) } });
  }
  return { tag: reference };
}

export async function getManifest(call: Call, name: string, reference: string, head: boolean): Promise<Response> {
  const { source, repo } = await authorize(name, 'pull', call.caller, call.options);
  const ref = readReference(reference);
  const { registry } = source;
  const signal = call.request.signal;
  let descriptor: Descriptor;
  let bytes: Uint8Array | undefined;
  if (head) {
    descriptor = 'digest' in ref ? await registry.resolveManifest(repo, ref.digest, { signal }) : await registry.resolveTag(repo, ref.tag, { signal });
  } else {
    const content = 'digest' in ref ? await registry.getManifest(repo, ref.digest, { signal }) : await registry.getTag(repo, ref.tag, { signal });
    ({ descriptor, bytes } = content);
  }
  checkAcceptable(call.request.headers.get('accept'), descriptor.mediaType);
  const headers = manifestHeaders(descriptor);
  const match = call.request.headers.get('if-none-match');
  if (match && match.split(',').some((tag) => tag.trim() === headers.etag)) {
    const { 'content-length': _omit, ...rest } = headers;
    return reply(null, 304, rest);
  }
  return reply(head ? null : (bytes as Uint8Array<ArrayBuffer>), 200, headers);
}

/** Checks a digest reference of a push against the bytes. Manifests are stored under their sha256 digest. */
function checkPushedDigest(reference: string, bytes: Uint8Array, sha256: string): void {
  const { algorithm, encoded } = parseDigest(checkDigest(reference));
  if (algorithm === 'sha256') {
    if (reference !== sha256) throw new RegistryError('DIGEST_INVALID', 'manifest content does not match the digest in the path', { detail: { digest: reference } });
    return;
  }
  if (createHash(algorithm).update(bytes).digest('hex') !== encoded) {
    throw new RegistryError('DIGEST_INVALID', 'manifest content does not match the digest in the path', { detail: { digest: reference } });
  }
  throw new RegistryError('DIGEST_INVALID', 'manifests can only be pushed by sha256 digest here', { detail: { digest: reference } });
}

export function putManifest(call: Call, name: string, reference: string): Promise<Response> {
  const tag = isDigestReference(reference) ? undefined : reference;
  return reported(call, { action: 'push-manifest', name, ...(tag ? { tag } : { digest: reference }) }, async () => {
    const { source, repo } = await authorize(name, 'push', call.caller, call.options);
    if (tag !== undefined) validateTag(tag);
    const bytes = await readBounded(call.request.body, MAX_MANIFEST_BYTES, 'manifest');
    const contentType = call.request.headers.get('content-type') ?? '';
    const info = inspectPushedManifest(bytes, contentType);
    if (tag === undefined) checkPushedDigest(reference, bytes, info.descriptor.digest);
    const stored = await source.registry.pushManifest(repo, bytes, contentType, {
      signal: call.request.signal,
      ...(tag !== undefined ? { tag } : {}),
    });
    const headers: Record<string, string> = {
      location: `/v2/${name}/manifests/${stored.digest}`,
      'docker-content-digest': stored.digest,
      'content-length': '0',
    };
    if (info.referrer) headers['oci-subject'] = info.referrer.subject;
    return reply(null, 201, headers);
  });
}

export function deleteManifest(call: Call, name: string, reference: string): Promise<Response> {
  const byDigest = isDigestReference(reference);
  const base = byDigest ? { action: 'delete-manifest' as const, digest: reference } : { action: 'delete-tag' as const, tag: reference };
  return reported(call, { ...base, name }, async () => {
    const { source, repo } = await authorize(name, 'delete', call.caller, call.options);
    const signal = call.request.signal;
    if (byDigest) await source.registry.deleteManifest(repo, checkDigest(reference), { signal });
    else await source.registry.deleteTag(repo, (validateTag(reference), reference), { signal });
    return reply(null, 202, { 'content-length': '0' });
  });
}
