/**
 * `…/-/compare?from=REF&to=REF[&platform=]`: two images side by side — config differences, layers shared or
 * only in one, and the file-level difference of their filesystems with the size change per directory.
 * A REF is a tag or digest in the repository of the URL, or `SOURCE/REPO:TAG` / `SOURCE/REPO@DIGEST` for an
 * image in another repository or source.
 */
import 'server-only';
import type { CompareResponse, CompareSide } from '@/lib/api/types';
import { diffConfigs } from '@/lib/compare/config-diff';
import { diffFilesystems } from '@/lib/compare/files-diff';
import { isDigest } from '@/lib/oci/digest';
import { RegistryError } from '@/lib/oci/errors';
import { parseImageConfig } from '@/lib/oci/manifest';
import { IMAGE_CONFIG_MEDIA_TYPES } from '@/lib/oci/media-types';
import { validateRepository } from '@/lib/oci/reference';
import { hashCheapCandidates } from './compare-content';
import { MAX_CONFIG_BYTES } from './details';
import { loadImage, type Image } from './image-files-service';
import { readBlobBytes } from '@/lib/registry/blob-bytes';
import { getSource, type Source } from './sources';
import { badParameter, validReference } from './validate';

/** Most file changes listed (the totals and directory deltas always cover all). */
const MAX_CHANGES = 5000;
const MAX_DIRECTORIES = 200;

export type { CompareResponse, CompareSide };

/** Splits a compare REF into source, repository and tag/digest (defaults: the URL's source and repository). */
export function parseCompareRef(text: string, source: string, repo: string, parameter: string): { source: string; repo: string; reference: string } {
  if (!text) throw badParameter(parameter, `${parameter} is required (a tag, a digest, or SOURCE/REPO:TAG)`);
  const slash = text.indexOf('/');
  if (slash === -1) {
    validReference(text);
    return { source, repo, reference: text };
  }
  const otherSource = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  const at = rest.indexOf('@');
  const colon = rest.lastIndexOf(':');
  const split = at !== -1 ? at : colon > rest.lastIndexOf('/') ? colon : -1;
  if (split === -1) throw badParameter(parameter, `${parameter} must name a tag or digest: SOURCE/REPO:TAG or SOURCE/REPO@DIGEST`);
  const otherRepo = rest.slice(0, split);
  const reference = rest.slice(split + 1);
  validateRepository(otherRepo);
  validReference(reference);
  return { source: otherSource, repo: otherRepo, reference };
}

async function side(source: Source, repo: string, reference: string, platform: string | null): Promise<{ image: Image; side: CompareSide }> {
  const image = await loadImage(source, repo, reference, platform);
  // An artifact (a Helm chart, a model, a signature) has layers but no filesystem: comparing it would show nothing.
  if (!image.config || !IMAGE_CONFIG_MEDIA_TYPES.includes(image.config.mediaType)) {
    throw new RegistryError('MANIFEST_INVALID', `${repo}${isDigest(reference) ? '@' : ':'}${reference} is not an image (its config is ${image.config?.mediaType ?? 'missing'})`, {
      status: 422,
      detail: { reference, configMediaType: image.config?.mediaType ?? null },
    });
  }
  return {
    image,
    side: { source: source.name, repository: repo, reference, manifest: image.manifest, ...(image.platform ? { platform: image.platform } : {}) },
  };
}

async function config(source: Source, repo: string, image: Image) {
  if (!image.config) return {};
  const blob = await source.pool.run(() => source.registry.getBlob(repo, image.config!.digest));
  return parseImageConfig(await readBlobBytes(blob, MAX_CONFIG_BYTES));
}

/** The values of settled promises, or the first rejection in their order (not in time). */
function firstError<T extends unknown[]>(results: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}

export async function compareImages(sourceName: string, repo: string, params: URLSearchParams): Promise<CompareResponse> {
  const platform = params.get('platform');
  const fromRef = parseCompareRef(params.get('from') ?? '', sourceName, repo, 'from');
  const toRef = parseCompareRef(params.get('to') ?? '', sourceName, repo, 'to');
  const [fromSource, toSource] = await Promise.all([getSource(fromRef.source), getSource(toRef.source)]);
  // Both sides load at once; when both fail, the answer names `from`'s error, whichever failed first.
  const [a, b] = firstError(await Promise.allSettled([side(fromSource, fromRef.repo, fromRef.reference, platform), side(toSource, toRef.repo, toRef.reference, platform)]));
  const [configA, configB] = await Promise.all([config(fromSource, fromRef.repo, a.image), config(toSource, toRef.repo, b.image)]);

  const fromDigests = new Set(a.image.layers.map((l) => l.digest));
  const toDigests = new Set(b.image.layers.map((l) => l.digest));
  const layerOf = (image: Image, path: string) => image.layers[image.fs.entries.get(path)!.layer]!.digest;
  // Same layer blob, same entry: the same bytes. Otherwise the content is compared where reading it is cheap.
  const digests = await hashCheapCandidates({ source: fromSource, repo: fromRef.repo, image: a.image }, { source: toSource, repo: toRef.repo, image: b.image });
  const files = diffFilesystems(a.image.fs, b.image.fs, (path) => layerOf(a.image, path) === layerOf(b.image, path), digests);
  return {
    from: a.side,
    to: b.side,
    config: diffConfigs(configA, configB),
    layers: {
      shared: b.image.layers.filter((l) => fromDigests.has(l.digest)),
      onlyFrom: a.image.layers.filter((l) => !toDigests.has(l.digest)),
      onlyTo: b.image.layers.filter((l) => !fromDigests.has(l.digest)),
    },
    files: {
      totals: files.totals,
      directories: files.directories.slice(0, MAX_DIRECTORIES),
      changes: files.changes.slice(0, MAX_CHANGES),
      truncated: files.changes.length > MAX_CHANGES,
    },
  };
}
