import 'server-only';
import { randomUUID } from 'node:crypto';
import { EMPTY_BLOB_DIGEST, MediaType } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';
import { hashBytes } from '../hash';

/** The 2-byte `{}` blob, used as the placeholder's only layer. */
export const EMPTY_BLOB = new TextEncoder().encode('{}');

export interface Placeholder {
  mediaType: string;
  manifest: Uint8Array;
  config: { descriptor: Descriptor; bytes: Uint8Array };
  layer: { descriptor: Descriptor; bytes: Uint8Array };
}

/**
 * A throw-away image unique to one tag deletion (regclient's TagDelete trick). Pushing it to the tag re-points
 * only that tag; deleting it by digest then removes the tag on registries that cannot delete tags (distribution
 * 2.x), and no other tag can share its digest because the config carries the tag, the time and a random nonce.
 *
 * Same family as the tag's manifest (OCI when it was an OCI manifest or index, else Docker schema2), so
 * registries that refuse to change a tag's family still accept it.
 */
export function buildPlaceholder(tag: string, currentMediaType: string, now: Date = new Date()): Placeholder {
  const oci = currentMediaType === MediaType.OciManifest || currentMediaType === MediaType.OciIndex;
  const created = now.toISOString();
  const config = new TextEncoder().encode(
    JSON.stringify({
      created,
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'delete-tag': tag, 'delete-date': created, 'delete-nonce': randomUUID() } },
      rootfs: { type: 'layers', diff_ids: [EMPTY_BLOB_DIGEST] },
      history: [{ created, created_by: `porthole: placeholder used to delete tag ${tag}` }],
    }),
  );
  const configDescriptor: Descriptor = {
    mediaType: oci ? MediaType.OciConfig : MediaType.DockerConfig,
    digest: hashBytes(config),
    size: config.length,
  };
  const layerDescriptor: Descriptor = {
    mediaType: oci ? MediaType.OciLayer : MediaType.DockerLayerGzip,
    digest: EMPTY_BLOB_DIGEST,
    size: EMPTY_BLOB.length,
  };
  const mediaType = oci ? MediaType.OciManifest : MediaType.DockerManifest;
  const manifest = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType, config: configDescriptor, layers: [layerDescriptor] }));
  return { mediaType, manifest, config: { descriptor: configDescriptor, bytes: config }, layer: { descriptor: layerDescriptor, bytes: EMPTY_BLOB } };
}
