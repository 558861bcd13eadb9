/**
 * Document types of the OCI image spec and the Docker manifest formats.
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/descriptor.md
 */

/** A digest string `algorithm:encoded`, e.g. `sha256:…`. Validate with `parseDigest` from `./digest`. */
export type Digest = string;

export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
  features?: string[];
}

/** @see https://github.com/opencontainers/image-spec/blob/v1.1.1/descriptor.md */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  data?: string;
  platform?: Platform;
  artifactType?: string;
}

/** @see https://github.com/opencontainers/image-spec/blob/v1.1.1/manifest.md */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** @see https://github.com/opencontainers/image-spec/blob/v1.1.1/image-index.md */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** Docker Image Manifest V2, Schema 2 (same shape as an OCI manifest, different media types). */
export interface DockerManifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** Docker manifest list (same shape as an OCI index). */
export interface DockerManifestList {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

/** Docker Image Manifest V2, Schema 1 (deprecated; still found on old registries). */
export interface DockerSchema1Manifest {
  schemaVersion: 1;
  name: string;
  tag: string;
  architecture: string;
  fsLayers: { blobSum: Digest }[];
  history: { v1Compatibility: string }[];
  signatures?: unknown[];
}

export type Manifest = ImageManifest | ImageIndex | DockerManifest | DockerManifestList | DockerSchema1Manifest;

/** @see https://github.com/opencontainers/image-spec/blob/v1.1.1/config.md */
export interface ImageConfig {
  created?: string;
  author?: string;
  architecture?: string;
  os?: string;
  variant?: string;
  config?: {
    User?: string;
    ExposedPorts?: Record<string, object>;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Volumes?: Record<string, object>;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    StopSignal?: string;
  };
  rootfs?: { type: string; diff_ids: Digest[] };
  history?: {
    created?: string;
    author?: string;
    created_by?: string;
    comment?: string;
    empty_layer?: boolean;
  }[];
}
