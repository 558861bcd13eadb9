/**
 * Writes small OCI image layouts to disk for tests: single-platform images or multi-platform indexes with
 * real `tar+gzip` layers, ready for `skopeo copy oci:DIR:TAG docker://…` (with `--all` for indexes).
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/image-layout.md
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTar, gzip } from '@/lib/demo/tar';
import { Annotation, MediaType } from '@/lib/oci/media-types';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest, Platform } from '@/lib/oci/types';

export interface LayoutImageSpec {
  /** The ref name in index.json (`org.opencontainers.image.ref.name`). */
  tag: string;
  /** One entry gives a plain manifest (unless `index` is set); several give an OCI index. Default linux/amd64. */
  platforms?: Platform[];
  /** Force an index even for one platform. */
  index?: boolean;
  /** Makes content differ between specs (default: the tag). Equal seeds give equal digests. */
  seed?: string;
  /** Layers per image (default 1). */
  layers?: number;
  /** Annotations on the top-level manifest or index. */
  annotations?: Record<string, string>;
}

export interface LayoutImage {
  tag: string;
  /** Descriptor of the top-level manifest or index. */
  descriptor: Descriptor;
  /** Per-platform manifest descriptors (one entry for a plain manifest). */
  manifests: Descriptor[];
  /** Every blob digest (configs and layers). */
  blobs: string[];
}

export interface LayoutResult {
  dir: string;
  images: LayoutImage[];
}

const FIXED_DATE = '2026-01-15T10:00:00Z';

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

/** Writes an OCI layout with `specs` into `dir` (created if missing) and describes what it wrote. */
export async function writeOciLayout(dir: string, specs: readonly LayoutImageSpec[]): Promise<LayoutResult> {
  const blobDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  const put = async (bytes: Uint8Array, mediaType: string): Promise<Descriptor> => {
    const digest = sha256(bytes);
    await writeFile(join(blobDir, digest.slice(7)), bytes);
    return { mediaType, digest, size: bytes.length };
  };

  const images: LayoutImage[] = [];
  const entries: Descriptor[] = [];
  for (const spec of specs) {
    const seed = spec.seed ?? spec.tag;
    const platforms = spec.platforms ?? [{ os: 'linux', architecture: 'amd64' }];
    const manifests: Descriptor[] = [];
    const blobs: string[] = [];
    for (const platform of platforms) {
      const platformName = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
      const layers: Descriptor[] = [];
      const diffIds: string[] = [];
      for (let i = 0; i < (spec.layers ?? 1); i++) {
        const tar = createTar([
          { path: 'etc/' },
          { path: `etc/layer-${i}.txt`, content: `seed=${seed} platform=${platformName} layer=${i}\n` },
        ], Date.parse(FIXED_DATE) / 1000);
        diffIds.push(sha256(tar));
        layers.push(await put(gzip(tar), MediaType.OciLayerGzip));
      }
      const config: ImageConfig = {
        created: FIXED_DATE,
        architecture: platform.architecture,
        os: platform.os,
        ...(platform.variant ? { variant: platform.variant } : {}),
        config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh'] },
        rootfs: { type: 'layers', diff_ids: diffIds },
        history: layers.map((_, i) => ({ created: FIXED_DATE, created_by: `COPY layer-${i}.txt /etc/ # ${seed}` })),
      };
      const configDescriptor = await put(json(config), MediaType.OciConfig);
      const manifest: ImageManifest = {
        schemaVersion: 2,
        mediaType: MediaType.OciManifest,
        config: configDescriptor,
        layers,
        ...(platforms.length === 1 && !spec.index && spec.annotations ? { annotations: spec.annotations } : {}),
      };
      const descriptor = await put(json(manifest), MediaType.OciManifest);
      manifests.push({ ...descriptor, platform });
      blobs.push(configDescriptor.digest, ...layers.map((l) => l.digest));
    }
    let top: Descriptor;
    if (platforms.length === 1 && !spec.index) {
      const { platform: _platform, ...plain } = manifests[0]!;
      top = plain;
    } else {
      const index: ImageIndex = {
        schemaVersion: 2,
        mediaType: MediaType.OciIndex,
        manifests,
        ...(spec.annotations ? { annotations: spec.annotations } : {}),
      };
      top = await put(json(index), MediaType.OciIndex);
    }
    images.push({ tag: spec.tag, descriptor: top, manifests, blobs: [...new Set(blobs)] });
    entries.push({ ...top, annotations: { [Annotation.RefName]: spec.tag } });
  }
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: entries }));
  return { dir, images };
}
