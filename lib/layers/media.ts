/**
 * Which blobs are layer tarballs, how they are compressed, and which are foreign (non-distributable): their
 * bytes live at the descriptor's `urls`, so Porthole lists them without reading them.
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/media-types.md
 */
import type { LayerCodec } from './types';

export interface LayerKind {
  /** The compression the media type names (the bytes are sniffed anyway: magic numbers win). */
  codec: LayerCodec;
  /** Non-distributable / foreign layer. */
  foreign: boolean;
}

const OCI = /^application\/vnd\.oci\.image\.layer\.(nondistributable\.)?v1\.tar(\+gzip|\+zstd)?$/;
const DOCKER = /^application\/vnd\.docker\.image\.rootfs\.(foreign\.)?diff\.tar(\.gzip|\.zstd)?$/;

/** The layer kind of a media type, or undefined when it is not a layer tarball (configs, artifacts…). */
export function layerKind(mediaType: string): LayerKind | undefined {
  const match = OCI.exec(mediaType) ?? DOCKER.exec(mediaType);
  if (!match) return undefined;
  const suffix = match[2] ?? '';
  const codec: LayerCodec = suffix.endsWith('gzip') ? 'gzip' : suffix.endsWith('zstd') ? 'zstd' : 'tar';
  return { codec, foreign: match[1] !== undefined };
}

/** The codec the first bytes of a blob announce: gzip (1f 8b), zstd (28 b5 2f fd), else plain tar. */
export function sniffCodec(head: Uint8Array): LayerCodec {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'tar';
}
