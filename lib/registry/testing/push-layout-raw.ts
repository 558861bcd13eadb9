/**
 * Pushes an OCI image layout (e.g. the regclient `testrepo` fixture) into a harness registry through the
 * plain distribution API, untagged manifests included: skopeo's `oci:` transport copies by ref name only.
 * Blobs first, then manifests children-first (distribution 2.8.2 rejects an index whose children are
 * missing), then one PUT per ref name. `subject` is not followed: registries accept dangling subjects.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#push
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Annotation, MANIFEST_MEDIA_TYPES } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import type { Built } from './build';
import { registryFetch } from './registry-fetch';
import type { RunningRegistry } from './registry-server';

type Target = Pick<RunningRegistry, 'url' | 'auth' | 'credentials'>;

export interface LoadLayoutResult {
  /** Manifest digests pushed, in push order. */
  manifests: string[];
  blobs: string[];
  /** Tags pushed (the layout's ref names). */
  tags: string[];
}

async function check(res: Response, what: string): Promise<void> {
  if (res.ok) {
    await res.body?.cancel();
    return;
  }
  throw new Error(`${what} failed with ${res.status}: ${(await res.text()).slice(0, 500)}`);
}

/** Uploads one blob (POST then monolithic PUT), unless the registry already has it. */
export async function pushBlob(registry: Target, repo: string, digest: string, bytes: Uint8Array): Promise<void> {
  const head = await registryFetch(registry, `/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  await head.body?.cancel();
  if (head.status === 200) return;
  const start = await registryFetch(registry, `/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await check(start, `upload start for ${digest}`);
  const location = new URL(start.headers.get('location') ?? '', registry.url);
  location.searchParams.set('digest', digest);
  const put = await registryFetch(registry, location.pathname + location.search, {
    method: 'PUT',
    body: bytes,
    headers: { 'Content-Type': 'application/octet-stream' },
  });
  await check(put, `blob upload ${digest}`);
}

/** PUTs a manifest by digest or tag. */
export async function pushManifest(registry: Target, repo: string, reference: string, bytes: Uint8Array, mediaType: string): Promise<void> {
  const res = await registryFetch(registry, `/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    body: bytes,
    headers: { 'Content-Type': mediaType },
  });
  await check(res, `manifest push ${repo}:${reference}`);
}

/**
 * Pushes a built manifest exactly as built (children, blobs, the manifest by digest, then under every tag), with no
 * client logic in between (no fallback index updates): tests can write what a careless client would.
 */
export async function pushBuiltRaw(registry: Target, repo: string, built: Built, tags: readonly string[] = []): Promise<string> {
  for (const child of built.children) await pushBuiltRaw(registry, repo, child);
  for (const b of built.blobs) await pushBlob(registry, repo, b.descriptor.digest, b.bytes);
  const { bytes, mediaType, descriptor } = built.manifest;
  await pushManifest(registry, repo, descriptor.digest, bytes, mediaType);
  for (const tag of tags) await pushManifest(registry, repo, tag, bytes, mediaType);
  return descriptor.digest;
}

/** Loads every manifest and blob reachable from `layoutDir/index.json` into `repo`. */
export async function loadLayout(registry: Target, layoutDir: string, repo: string): Promise<LoadLayoutResult> {
  const read = (digest: string): Promise<Buffer> => readFile(join(layoutDir, 'blobs', ...digest.split(':')));
  const index = JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as { manifests?: Descriptor[] };
  const result: LoadLayoutResult = { manifests: [], blobs: [], tags: [] };
  const done = new Set<string>();
  const blobsDone = new Set<string>();

  const visit = async (descriptor: Descriptor): Promise<void> => {
    if (done.has(descriptor.digest)) return;
    done.add(descriptor.digest);
    const bytes = await read(descriptor.digest);
    const body = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
    for (const child of body.manifests ?? []) {
      if (MANIFEST_MEDIA_TYPES.includes(child.mediaType)) await visit(child);
      else await blob(child); // e.g. BuildKit cache indexes list layers, not manifests
    }
    if (body.config) await blob(body.config);
    for (const layer of body.layers ?? []) await blob(layer);
    await pushManifest(registry, repo, descriptor.digest, bytes, descriptor.mediaType || body.mediaType || '');
    result.manifests.push(descriptor.digest);
  };
  const blob = async (descriptor: Descriptor): Promise<void> => {
    if (blobsDone.has(descriptor.digest)) return;
    blobsDone.add(descriptor.digest);
    await pushBlob(registry, repo, descriptor.digest, await read(descriptor.digest));
    result.blobs.push(descriptor.digest);
  };

  for (const entry of index.manifests ?? []) await visit(entry);
  for (const entry of index.manifests ?? []) {
    const tag = entry.annotations?.[Annotation.RefName];
    if (!tag) continue;
    await pushManifest(registry, repo, tag, await read(entry.digest), entry.mediaType);
    result.tags.push(tag);
  }
  return result;
}
