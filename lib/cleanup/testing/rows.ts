/**
 * A plain tag-row reader for unit tests of the cleanup (the app uses the tags service of `lib/server`):
 * every tag with its digest, config `created` (an index: its newest platform) and size.
 */
import { manifestReferences, parseImageConfig, parseManifest } from '@/lib/oci/manifest';
import type { Digest } from '@/lib/oci/types';
import { collect } from '@/lib/registry/iter';
import type { BrowsingRegistry } from '@/lib/registry/registry';
import type { ListTagRows } from '../build-plan';
import { tagKindOf } from '../planner';
import type { PlanTagInput } from '../types';

async function readBlob(registry: BrowsingRegistry, repo: string, digest: Digest): Promise<Uint8Array> {
  const blob = await registry.getBlob(repo, digest);
  return new Uint8Array(await new Response(blob.body).arrayBuffer());
}

async function describe(registry: BrowsingRegistry, repo: string, digest: Digest): Promise<{ created: string | null; size: number }> {
  const content = await registry.getManifest(repo, digest);
  const parsed = parseManifest(content.bytes, content.descriptor.mediaType);
  const refs = manifestReferences(parsed.manifest);
  if (refs.manifests.length > 0) {
    let created: string | null = null;
    let size = 0;
    for (const child of refs.manifests) {
      const d = await describe(registry, repo, child.digest);
      size += d.size;
      if (d.created && (!created || Date.parse(d.created) > Date.parse(created))) created = d.created;
    }
    return { created, size };
  }
  const config = 'config' in parsed.manifest ? parsed.manifest.config : undefined;
  const created = config ? (parseImageConfig(await readBlob(registry, repo, config.digest)).created ?? null) : null;
  return { created, size: refs.blobs.reduce((sum, b) => sum + Math.max(0, b.size), 0) };
}

/** Tag rows read straight from a registry. */
export function registryTagRows(registry: BrowsingRegistry): ListTagRows {
  return async (repository) => {
    const rows: PlanTagInput[] = [];
    for (const name of await collect(registry.listTags(repository))) {
      const descriptor = await registry.resolveTag(repository, name);
      const { created, size } = await describe(registry, repository, descriptor.digest);
      rows.push({ name, digest: descriptor.digest, created, size, ...tagKindOf(name) });
    }
    return rows;
  };
}
