/**
 * `cachedContent(r, store)`: a registry whose reads of content addressed by digest come from a
 * {@link ContentStore} before the registry: manifests by digest (`getManifest`) and whole small blobs
 * (`getBlob` without a range, at most `maxBlobBytes`: image configs). What it reads from the registry it keeps:
 * those two, and the manifest bytes a tag GET returns (so a later read by digest is free). Everything that can
 * change is passed through untouched: tags (`getTag`, `resolveTag`, `listTags`), presence checks
 * (`resolveManifest`, `resolveBlob`), referrers listings, the catalog, writes and deletes. A manifest (or
 * blob) deleted through this registry is forgotten by the store too, so Porthole stops showing it.
 *
 * The store is shared by every source and repository, so kept bytes are served for a repository only where the
 * registry has them: a presence record per (registry and account `scope`, repository, digest) — see
 * `presence.ts` — is written whenever the registry answered that digest in that repository (a GET or HEAD of a
 * manifest or blob, a tag resolved or read, a push). A read of kept bytes without a record costs exactly one
 * existence check (HEAD) in that repository first: unknown there is MANIFEST_UNKNOWN / BLOB_UNKNOWN as always.
 *
 * The tiers verify entries read back from disk or Redis against their digest (`verifyContent`): a corrupted entry
 * is dropped and read again from the registry, never served. Signed Docker schema1 manifests are not kept (their
 * digest is not the hash of their bytes), nor manifests whose media type cannot be told again from their bytes.
 *
 * Built with `fromFuncs` and an explicit list of forwarded methods, like the wrappers of `../filter`.
 */
import 'server-only';
import { isRegistryError } from '@/lib/oci/errors';
import { parseManifest } from '@/lib/oci/manifest';
import { MediaType } from '@/lib/oci/media-types';
import type { Digest } from '@/lib/oci/types';
import { checkDigest, checkRepository } from '@/lib/registry/local/validate';
import { fromFuncs } from '../funcs';
import { matchesDigest } from '../hash';
import { bytesBlob, readBlobBytes } from '../blob-bytes';
import type { BlobContent, ManifestContent, Registry } from '../registry';
import { configDigestOf, isVerifiedBlob, isVerifyingBody, markVerifiedManifest, verifiedManifest } from '../verified-manifest';
import type { ContentStore } from './content-store';
import { blobKey, manifestKey } from './keys';
import { presenceRecords } from './presence';

const BLOB_MEDIA_TYPE = 'application/octet-stream';

export interface CachedContentOptions {
  /** Whole blobs up to this size are kept (image configs); larger ones and ranges stream from the registry. */
  maxBlobBytes: number;
  /**
   * Names the registry and the account Porthole uses there (`sharedScope`): presence is recorded per scope, so a
   * source never serves what only another registry, or another account's view of it, has shown.
   */
  scope: string;
}

/** What the bytes of a manifest say on their own: their media type (when they tell it) and the config they name. */
interface ManifestFacts {
  mediaType?: string;
  config?: Digest;
}

/**
 * The facts of manifest bytes that hash to `digest`: from the mark of whoever verified these very bytes (the
 * http reader, or an earlier read of this store), else parsed once and marked (the caller vouches for the hash).
 * A mark without a media type (the reader's Content-Type decided it) is completed by one parse of the bytes alone.
 */
function factsOf(bytes: Uint8Array, digest: Digest): ManifestFacts {
  const known = verifiedManifest(bytes, digest);
  if (known?.mediaType) return known;
  try {
    const parsed = parseManifest(bytes);
    const config = configDigestOf(parsed.manifest);
    markVerifiedManifest(bytes, { digest, mediaType: parsed.mediaType, config });
    return { mediaType: parsed.mediaType, config };
  } catch {
    return {};
  }
}

/**
 * True when `content` can be rebuilt exactly from its bytes and digest. Bytes the reader marked as verified are
 * not hashed or parsed again; others (a backend that does not mark) are checked here.
 */
function keepable(content: ManifestContent): boolean {
  const { mediaType, digest } = content.descriptor;
  if (mediaType === MediaType.DockerSchema1Signed) return false;
  if (!verifiedManifest(content.bytes, digest) && !matchesDigest(content.bytes, digest)) return false;
  return factsOf(content.bytes, digest).mediaType === mediaType;
}

/**
 * The digests a manifest refers to that the registry must have in the same repository: its config. A registry
 * accepts an image manifest only when the blobs it references are in that repository (distribution checks every
 * reference on PUT: MANIFEST_BLOB_UNKNOWN otherwise, verified on 2.8.2), so a manifest the registry answered for
 * a repository proves its config there too, and reading the config costs no existence check.
 * Left out on purpose:
 * - the manifests of an index: the OCI spec lets a registry accept a sparse index (Quay does, behind a flag), so
 *   an index proves nothing about its children — anyone who may push an index to one repository could otherwise
 *   name another repository's manifest in it and read that manifest's kept bytes. Children are recorded when the
 *   registry answers them (their own GET or HEAD), which is what a tag view does anyway, so restarts stay warm;
 * - layers: the cache serves a blob only when it is small and was read whole, and foreign layers (with `urls`)
 *   are not in the registry at all;
 * - the subject: a referrer may be pushed before its subject.
 * (A config deleted later by another tool is still served from the store, as the manifest itself would be: the
 * same staleness as any kept content, within the repository that had it.)
 */
function referencesOf(facts: ManifestFacts): Digest[] {
  return facts.config ? [facts.config] : [];
}

/** True for the errors that mean "the registry does not have it there". */
function isAbsent(error: unknown): boolean {
  return isRegistryError(error, 'MANIFEST_UNKNOWN') || isRegistryError(error, 'BLOB_UNKNOWN') || isRegistryError(error, 'NAME_UNKNOWN');
}

export function cachedContent(registry: Registry, store: ContentStore, options: CachedContentOptions): Registry {
  const r = registry;
  const presence = presenceRecords(store, options.scope);

  /** The registry answered `content` in `repo`: keep it, and record it and what it references as present there. */
  async function answered(repo: string, content: ManifestContent): Promise<void> {
    const { digest } = content.descriptor;
    // Only bytes known to hash to the digest are kept, or read for their references (schema1 signed: neither).
    const kept = keepable(content);
    const references = kept ? referencesOf(factsOf(content.bytes, digest)) : [];
    await Promise.all([kept ? store.put(manifestKey(digest), content.bytes) : undefined, presence.record(repo, [digest, ...references])]);
  }

  /** Runs an existence check of `digest` in `repo` at the registry; records the answer either way. */
  async function checked<T>(repo: string, digest: Digest, check: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await check();
    } catch (error) {
      if (isAbsent(error)) await presence.forget(repo, [digest]);
      throw error;
    }
    await presence.record(repo, [digest]);
    return result;
  }

  return fromFuncs({
    async resolveTag(repo, tag, call) {
      const descriptor = await r.resolveTag(repo, tag, call);
      await presence.record(repo, [descriptor.digest]);
      return descriptor;
    },
    resolveManifest: (repo, digest, call) => checked(repo, digest, () => r.resolveManifest(repo, digest, call)),
    resolveBlob: (repo, digest, call) => checked(repo, digest, () => r.resolveBlob(repo, digest, call)),
    async getTag(repo, tag, call) {
      const content = await r.getTag(repo, tag, call);
      await answered(repo, content);
      return content;
    },
    async getManifest(repo, digest, call) {
      // What the registry would refuse before any I/O is refused here too, cached or not.
      checkRepository(repo);
      checkDigest(digest);
      const [bytes, present] = await Promise.all([store.get(manifestKey(digest), call?.signal), presence.has(repo, digest, call?.signal)]);
      const facts = bytes && factsOf(bytes, digest);
      if (bytes && facts?.mediaType) {
        const content = { descriptor: { mediaType: facts.mediaType, digest, size: bytes.byteLength }, bytes };
        if (!present) {
          // Kept bytes, but not known to be in this repository: the registry must say so first (one HEAD).
          await checked(repo, digest, () => r.resolveManifest(repo, digest, call));
          await presence.record(repo, referencesOf(facts));
        }
        return content;
      }
      const content = await r.getManifest(repo, digest, call);
      await answered(repo, content);
      return content;
    },
    async getBlob(repo, digest, call) {
      if (call?.range) return r.getBlob(repo, digest, call);
      checkRepository(repo);
      checkDigest(digest);
      const [bytes, present] = await Promise.all([store.get(blobKey(digest), call?.signal), presence.has(repo, digest, call?.signal)]);
      if (bytes) {
        if (!present) await checked(repo, digest, () => r.resolveBlob(repo, digest, call));
        return blobOf(digest, bytes);
      }
      const blob = await r.getBlob(repo, digest, call);
      if (blob.descriptor.size > options.maxBlobBytes) return blob;
      const whole = await readBlobBytes(blob, options.maxBlobBytes);
      // Bytes the http reader verified, or a body that verifies itself (it errored above if the bytes were
      // wrong): no second hash.
      const verified = blob.bytes ? isVerifiedBlob(blob.bytes, digest) : isVerifyingBody(blob.body, digest);
      if (verified || matchesDigest(whole, digest)) await Promise.all([store.put(blobKey(digest), whole), presence.record(repo, [digest])]);
      return bytesBlob(blob.descriptor, whole);
    },
    listRepositories: (...args) => r.listRepositories(...args),
    listTags: (...args) => r.listTags(...args),
    listReferrers: (...args) => r.listReferrers(...args),
    async pushBlob(repo, descriptor, body, call) {
      const pushed = await r.pushBlob(repo, descriptor, body, call);
      await presence.record(repo, [pushed.digest]);
      return pushed;
    },
    async mountBlob(fromRepo, repo, digest, call) {
      const mounted = await r.mountBlob(fromRepo, repo, digest, call);
      await presence.record(repo, [mounted.digest]);
      return mounted;
    },
    async pushManifest(repo, bytes, mediaType, call) {
      const pushed = await r.pushManifest(repo, bytes, mediaType, call);
      await presence.record(repo, [pushed.digest]);
      return pushed;
    },
    deleteTag: (...args) => r.deleteTag(...args),
    async deleteManifest(repo, digest, call) {
      const result = await r.deleteManifest(repo, digest, call);
      await Promise.all([presence.forget(repo, result.deleted), ...result.deleted.map((gone: Digest) => store.delete(manifestKey(gone)))]);
      return result;
    },
    async deleteBlob(repo, digest, call) {
      await r.deleteBlob(repo, digest, call);
      await Promise.all([presence.forget(repo, [digest]), store.delete(blobKey(digest))]);
    },
    capabilities: (...args) => r.capabilities(...args),
    close: () => r.close(),
  });
}

function blobOf(digest: Digest, bytes: Uint8Array): BlobContent {
  return bytesBlob({ mediaType: BLOB_MEDIA_TYPE, digest, size: bytes.byteLength }, bytes);
}
