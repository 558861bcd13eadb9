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
 * What an answer proves: the digest answered, and nothing it refers to. Not an image manifest's config: a registry
 * accepts the manifest only with its config in the repository, but the config blob can be deleted from one
 * repository afterwards while the manifest stays (distribution 2.8.2 with deletes on: `DELETE /v2/<repo>/blobs/<d>`),
 * and a pull there then fails — Porthole must say BLOB_UNKNOWN there too, not show the config another repository
 * had. A view reads the config anyway (its GET, or a HEAD when the bytes are kept), which records it, so after a
 * restart it costs nothing. Not an index's children either (the OCI spec lets a registry accept a sparse index),
 * nor layers or the subject (a referrer may be pushed before its subject).
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
import { isVerifiedBlob, isVerifyingBody, markVerifiedManifest, verifiedManifest } from '../verified-manifest';
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

/** What the bytes of a manifest say on their own: their media type (when they tell it). */
interface ManifestFacts {
  mediaType?: string;
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
    markVerifiedManifest(bytes, { digest, mediaType: parsed.mediaType });
    return { mediaType: parsed.mediaType };
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

/** True for the errors that mean "the registry does not have it there". */
function isAbsent(error: unknown): boolean {
  return isRegistryError(error, 'MANIFEST_UNKNOWN') || isRegistryError(error, 'BLOB_UNKNOWN') || isRegistryError(error, 'NAME_UNKNOWN');
}

export function cachedContent(registry: Registry, store: ContentStore, options: CachedContentOptions): Registry {
  const r = registry;
  const presence = presenceRecords(store, options.scope);

  /**
   * The registry answered `content` in `repo`: keep it (only bytes known to hash to the digest; schema1 signed
   * never), and record it as present there. Only the manifest itself: see "What an answer proves" above.
   */
  async function answered(repo: string, content: ManifestContent): Promise<void> {
    const { digest } = content.descriptor;
    await Promise.all([keepable(content) ? store.put(manifestKey(digest), content.bytes) : undefined, presence.record(repo, [digest])]);
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
        // Kept bytes, but not known to be in this repository: the registry must say so first (one HEAD).
        if (!present) await checked(repo, digest, () => r.resolveManifest(repo, digest, call));
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
