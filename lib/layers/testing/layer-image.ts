/**
 * Writes an OCI image layout whose layers are given tarballs, compressed by the real `gzip` and `zstd`
 * programs, for pushing with skopeo. Layers can also be given as finished blobs (corrupt or truncated ones).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaType } from '@/lib/oci/media-types';
import type { Descriptor } from '@/lib/oci/types';

export type LayerSpec =
  | { tar: Buffer; compress: 'gzip' | 'zstd' | 'none' }
  /** A blob as it is, with the media type to give it (its diff_id is made up). */
  | { blob: Buffer; mediaType: string };

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Runs `command` with `input` on stdin and returns its stdout. */
export function pipeThrough(command: string, args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin!.end(input);
  });
}

const MEDIA = { gzip: MediaType.OciLayerGzip, zstd: MediaType.OciLayerZstd, none: MediaType.OciLayer } as const;

/** Writes the layout into `dir` with one image tagged `tag`; returns the layer descriptors (bottom first). */
export async function writeLayerImage(dir: string, tag: string, specs: readonly LayerSpec[]): Promise<{ layers: Descriptor[] }> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const put = async (bytes: Uint8Array, mediaType: string): Promise<Descriptor> => {
    const digest = sha256(bytes);
    await writeFile(join(blobs, digest.slice(7)), bytes);
    return { mediaType, digest, size: bytes.length };
  };
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const spec of specs) {
    if ('blob' in spec) {
      layers.push(await put(spec.blob, spec.mediaType));
      diffIds.push(sha256(spec.blob));
      continue;
    }
    const blob = spec.compress === 'gzip' ? await pipeThrough('gzip', ['-n', '-c'], spec.tar) : spec.compress === 'zstd' ? await pipeThrough('zstd', ['-q', '-c'], spec.tar) : spec.tar;
    layers.push(await put(blob, MEDIA[spec.compress]));
    diffIds.push(sha256(spec.tar));
  }
  const config = {
    created: '2026-01-15T10:00:00Z',
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const configDescriptor = await put(new TextEncoder().encode(JSON.stringify(config)), MediaType.OciConfig);
  const manifest = { schemaVersion: 2, mediaType: MediaType.OciManifest, config: configDescriptor, layers };
  const manifestDescriptor = await put(new TextEncoder().encode(JSON.stringify(manifest)), MediaType.OciManifest);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [{ ...manifestDescriptor, annotations: { 'org.opencontainers.image.ref.name': tag } }] }),
  );
  return { layers };
}
