/**
 * Planning a copy: reads the source graph (the manifest, its children, and — unless told not to — every
 * referrer of every manifest, recursively) into a list that can be pushed in order: children before their
 * index, a subject before its referrers. Nothing is written while planning, so a copy that cannot be done
 * (a subset of platforms whose index could not be pushed, a tag that moved) is refused before anything is sent.
 */
import { isRegistryError, RegistryError } from '@/lib/oci/errors';
import { formatPlatform, isAttestationDescriptor, manifestReferences, parseManifest } from '@/lib/oci/manifest';
import { Annotation } from '@/lib/oci/media-types';
import type { Descriptor, Digest } from '@/lib/oci/types';
import { collect } from '@/lib/registry/iter';
import type { ManifestContent } from '@/lib/registry/registry';
import type { CopyOptions, CopyPlan, CopySource, PlannedManifest } from './types';

/** Layers that registries do not distribute: they stay where their `urls` point and are not copied. */
function isForeign(descriptor: Descriptor): boolean {
  return (descriptor.urls?.length ?? 0) > 0 && /nondistributable|foreign/.test(descriptor.mediaType);
}

/** True when `platform` (`os/arch[/variant]`) is one of `wanted`; `os/arch` matches every variant. */
export function platformMatches(platform: string, wanted: readonly string[]): boolean {
  return wanted.some((w) => platform === w || platform.startsWith(`${w}/`));
}

/**
 * The manifest a copy starts from. With a tag and a digest, the tag must still point at the digest: otherwise
 * MANIFEST_UNKNOWN (409) saying where it points now.
 */
export async function readSourceManifest(from: CopySource, options: CopyOptions = {}): Promise<ManifestContent> {
  const call = options.signal ? { signal: options.signal } : {};
  if (from.digest !== undefined) {
    if (from.tag !== undefined) {
      const current = await from.registry.resolveTag(from.repo, from.tag, call);
      if (current.digest !== from.digest) {
        throw new RegistryError('MANIFEST_UNKNOWN', `tag ${from.tag} of ${from.repo} has moved: it points at ${current.digest}, not ${from.digest}`, {
          status: 409,
          detail: { tag: from.tag, expected: from.digest, actual: current.digest },
        });
      }
    }
    return from.registry.getManifest(from.repo, from.digest, call);
  }
  if (from.tag === undefined) throw new RegistryError('NAME_INVALID', 'a copy needs a tag or a digest to start from');
  return from.registry.getTag(from.repo, from.tag, call);
}

/** Which children of an index to copy, and which the destination must already hold. */
function chooseChildren(children: readonly Descriptor[], platforms: readonly string[] | undefined): { copy: Descriptor[]; required: Descriptor[] } {
  if (!platforms?.length) return { copy: [...children], required: [] };
  const chosen = new Set(
    children.filter((c) => !isAttestationDescriptor(c) && platformMatches(formatPlatform(c.platform), platforms)).map((c) => c.digest),
  );
  // BuildKit attestations follow the platform image they describe.
  for (const child of children) {
    const about = child.annotations?.[Annotation.DockerReferenceDigest];
    if (isAttestationDescriptor(child) && about && chosen.has(about)) chosen.add(child.digest);
  }
  return { copy: children.filter((c) => chosen.has(c.digest)), required: children.filter((c) => !chosen.has(c.digest)) };
}

/** Reads the whole graph to copy. Throws what the source's reads throw. */
export async function planCopy(from: CopySource, options: CopyOptions = {}): Promise<CopyPlan> {
  const signal = options.signal;
  const call = signal ? { signal } : {};
  const withReferrers = options.referrers !== false;
  const root = await readSourceManifest(from, options);
  const planned: PlannedManifest[] = [];
  const visited = new Set<Digest>();
  const blobs = new Map<Digest, Descriptor>();

  const visit = async (content: ManifestContent, role: PlannedManifest['role']): Promise<void> => {
    const digest = content.descriptor.digest;
    if (visited.has(digest)) return;
    visited.add(digest);
    signal?.throwIfAborted();
    const parsed = parseManifest(content.bytes, content.descriptor.mediaType);
    const refs = manifestReferences(parsed.manifest);
    // A platform subset applies to the index the copy starts from; nested indexes and referrers go whole.
    const { copy, required } = chooseChildren(refs.manifests, role === 'root' ? options.platforms : undefined);
    for (const child of copy) {
      await visit(await from.registry.getManifest(from.repo, child.digest, call), role === 'referrer' ? 'referrer' : 'child');
    }
    const own = refs.blobs.filter((b) => !isForeign(b));
    for (const b of own) if (!blobs.has(b.digest)) blobs.set(b.digest, b);
    planned.push({
      descriptor: content.descriptor,
      bytes: content.bytes,
      blobs: own,
      children: copy.map((c) => c.digest),
      required: required.map((c) => c.digest),
      role,
    });
    if (!withReferrers) return;
    let referrers: Descriptor[];
    try {
      referrers = await collect(from.registry.listReferrers(from.repo, digest, call));
    } catch (error) {
      // A backend without any way to list referrers simply has none to copy.
      if (isRegistryError(error, 'UNSUPPORTED')) return;
      throw error;
    }
    for (const referrer of referrers) {
      if (visited.has(referrer.digest)) continue;
      let referrerContent: ManifestContent;
      try {
        referrerContent = await from.registry.getManifest(from.repo, referrer.digest, call);
      } catch (error) {
        // A stale fallback index may list a referrer that was deleted since.
        if (isRegistryError(error, 'MANIFEST_UNKNOWN')) continue;
        throw error;
      }
      // Only a manifest whose subject really is this one is its referrer (fallback indexes can be wrong).
      const subject = parseManifest(referrerContent.bytes, referrerContent.descriptor.mediaType).subject?.digest;
      if (subject !== digest) continue;
      await visit(referrerContent, 'referrer');
    }
  };

  await visit(root, 'root');
  const blobList = [...blobs.values()];
  const bytes = blobList.reduce((sum, b) => sum + Math.max(0, b.size), 0) + planned.reduce((sum, m) => sum + m.bytes.byteLength, 0);
  return { root: root.descriptor, manifests: planned, blobs: blobList, bytes };
}
