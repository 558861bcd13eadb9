/**
 * The table of contents of a layer and the merged filesystem of an image, as the API returns them.
 * Pure types: shared by the server (`lib/layers`) and the browser.
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/layer.md
 */

/** What a tar entry is. `hardlink` and `symlink` carry `linkTarget`; `char`/`block` carry device numbers. */
export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

/** One entry of a layer tarball. */
export interface TocEntry {
  /** Normalised path: no leading `./` or `/`, no trailing `/`, `.` and `..` resolved inside the root. */
  path: string;
  type: EntryType;
  /** Size of the file's content in bytes (the real size for sparse files); 0 for everything but files. */
  size: number;
  /** Permission bits and set-id/sticky bits (`mode & 0o7777`). */
  mode: number;
  uid: number;
  gid: number;
  /** Modification time, seconds since the epoch (fractions from PAX headers kept). */
  mtime: number;
  /** Symlink target as written (may be relative or absolute), or the normalised path a hard link points at. */
  linkTarget?: string;
  uname?: string;
  gname?: string;
  devMajor?: number;
  devMinor?: number;
  /** The file is stored sparse: `size` is its real size, holes read as zeros. */
  sparse?: true;
}

/** Where an entry's stored bytes sit in the uncompressed tar stream (server side only, for reading files). */
export interface EntryLocation {
  /** Offset of the first data byte in the uncompressed tar stream. */
  offset: number;
  /** Stored bytes (for sparse files: the stored data segments, excluding the PAX 1.0 map). */
  stored: number;
  /** Sparse map: `[offset in file, length]` pairs of the stored segments, in order. */
  sparseMap?: [number, number][];
}

/** A zstd frame start: decoding can begin at compressed offset `in`, which is uncompressed offset `out`. */
export interface FrameCheckpoint {
  in: number;
  out: number;
}

/** How a layer blob is compressed. */
export type LayerCodec = 'tar' | 'gzip' | 'zstd';

/** The table of contents of one layer blob. */
export interface LayerToc {
  digest: string;
  codec: LayerCodec;
  /** Compressed (blob) size. */
  compressedSize: number;
  /** Size of the uncompressed tar stream. */
  tarSize: number;
  entries: TocEntry[];
}

/** One layer of the image as the listing shows it; `skipped` says why its files are not part of the view. */
export interface ImageLayer {
  digest: string;
  mediaType: string;
  size: number;
  skipped?: 'foreign' | 'not-a-layer';
}

/** A listed path: its entry, the index in `layers` of the layer that wrote it and of those it overrode. */
export interface ImageFileEntry extends TocEntry {
  layer: number;
  overrides?: number[];
  implicit?: true;
}

export interface ImageListing {
  /** Digest of the image manifest (the platform's, for an index). */
  manifest: string;
  platform?: string;
  layers: ImageLayer[];
  path: string;
  entries: ImageFileEntry[];
}
