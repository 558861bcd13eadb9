/** Reads of the layout registry: tags from index.json, manifests and blobs from `blobs/<alg>/<encoded>`. */
import 'server-only';
import { stat } from 'node:fs/promises';
import { RegistryError } from '@/lib/oci/errors';
import type { Descriptor } from '@/lib/oci/types';
import { resolveRange } from '@/lib/registry/local/content';
import { checkAborted, checkDigest, checkTag } from '@/lib/registry/local/validate';
import type { BlobContent, RegistryReader } from '@/lib/registry/registry';
import { openFileStream } from './file-stream';
import { isErrno, storageError } from './files';
import { blobPath, checkLayoutName } from './paths';
import type { LayoutStore } from './store';

const BLOB_MEDIA_TYPE = 'application/octet-stream';

export function createReader(store: LayoutStore): RegistryReader {
  /** The index.json entry of a tag, with the blob checked to exist. */
  const byTag = async (repo: string, tag: string) => {
    checkLayoutName(repo);
    checkTag(tag);
    const dir = await store.open(repo);
    const snapshot = await store.snapshot(dir, repo);
    const entry = snapshot.tags.get(tag);
    if (!entry) throw new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', { detail: { tag } });
    return { dir, snapshot, descriptor: await store.manifestDescriptor(dir, snapshot, entry.digest) };
  };
  const byDigest = async (repo: string, digest: string) => {
    checkLayoutName(repo);
    checkDigest(digest);
    const dir = await store.open(repo);
    const snapshot = await store.snapshot(dir, repo);
    return { dir, descriptor: await store.manifestDescriptor(dir, snapshot, digest) };
  };
  const blob = async (repo: string, digest: string) => {
    checkLayoutName(repo);
    checkDigest(digest);
    const dir = await store.open(repo);
    const path = blobPath(dir, digest);
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new RegistryError('BLOB_UNKNOWN', 'blob unknown', { detail: { digest } });
      return { path, descriptor: { mediaType: BLOB_MEDIA_TYPE, digest, size: info.size } satisfies Descriptor };
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) throw new RegistryError('BLOB_UNKNOWN', 'blob unknown', { detail: { digest } });
      return storageError(error);
    }
  };

  return {
    async resolveTag(repo, tag, options) {
      checkAborted(options);
      return (await byTag(repo, tag)).descriptor;
    },
    async resolveManifest(repo, digest, options) {
      checkAborted(options);
      return (await byDigest(repo, digest)).descriptor;
    },
    async resolveBlob(repo, digest, options) {
      checkAborted(options);
      return (await blob(repo, digest)).descriptor;
    },
    async getTag(repo, tag, options) {
      checkAborted(options);
      const { dir, descriptor } = await byTag(repo, tag);
      return { descriptor, bytes: await store.manifestBytes(dir, descriptor.digest) };
    },
    async getManifest(repo, digest, options) {
      checkAborted(options);
      const { dir, descriptor } = await byDigest(repo, digest);
      return { descriptor, bytes: await store.manifestBytes(dir, digest) };
    },
    async getBlob(repo, digest, options): Promise<BlobContent> {
      checkAborted(options);
      const { path, descriptor } = await blob(repo, digest);
      const range = options?.range ? resolveRange(options.range, descriptor.size) : undefined;
      let body: ReadableStream<Uint8Array>;
      try {
        body = await openFileStream(path, range, options?.signal);
      } catch (error) {
        if (isErrno(error, 'ENOENT', 'ENOTDIR')) throw new RegistryError('BLOB_UNKNOWN', 'blob unknown', { detail: { digest } });
        if (error instanceof Error && error.name === 'AbortError') throw error;
        return storageError(error);
      }
      return range ? { descriptor, body, range } : { descriptor, body };
    },
  };
}
