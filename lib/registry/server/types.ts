/**
 * Contracts of the `/v2` registry server (distribution-spec v1.1): what it serves (sources, each a
 * {@link Registry}), who may do what, and what it reports. The handler itself is in `./handler.ts`.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md
 */
import type { Registry } from '@/lib/registry/registry';

/** One source as the server sees it: repository `<name>/<repo>` is repository `<repo>` of `registry`. */
export interface ServedSource {
  /** First path component of every repository of this source. */
  name: string;
  registry: Registry;
  /** `read`: pulls only (pushes are DENIED); `write`: pushes too. */
  serve: 'read' | 'write';
  /** Deletes (manifests, tags, blobs) are allowed; they also need `serve: 'write'`. UNSUPPORTED otherwise. */
  delete: boolean;
  /**
   * `POST …/blobs/uploads/?mount=<digest>` without `from` looks for the blob in the other repositories of this
   * source ("automatic content discovery"). Cheap for local backends, a request per repository for http ones.
   */
  discoverMounts: boolean;
  /** Reads need no authenticated user (when authentication is configured at all). */
  anonymousRead: boolean;
}

/** What a request wants to do, for authorisation and the audit trail. */
export type ServerAction = 'pull' | 'push' | 'delete';

/** A change made through the server, reported after it succeeded or failed. */
export interface ServerEvent {
  action: 'push-manifest' | 'push-blob' | 'mount-blob' | 'delete-manifest' | 'delete-tag' | 'delete-blob';
  user: string;
  source: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** Mounts: the repository (`<source>/<repo>`) the blob came from. */
  from?: string;
  result: 'ok' | 'denied' | 'error';
  error?: { code: string; message: string };
}

export interface Authenticator {
  /**
   * The user a request authenticates as, or undefined for an anonymous request. Throws UNAUTHORIZED for
   * credentials that are presented but wrong.
   */
  user(request: Request): string | undefined;
  /** The `WWW-Authenticate` challenge sent with 401 answers, e.g. `Basic realm="Porthole"`. */
  challenge: string;
}

export interface ServerOptions {
  /** The served sources, asked once per request (so a reloaded configuration takes effect). */
  sources: () => Promise<readonly ServedSource[]>;
  /** Directory for upload staging files (created on demand; a `uploads` folder is used inside it). */
  dataDir: string;
  /** Without it every request is anonymous and allowed what the source's `serve`/`delete` allow. */
  auth?: Authenticator;
  /** Receives every push, mount and delete (and refusals of them), e.g. for an audit log. */
  onEvent?: (event: ServerEvent) => Promise<void>;
  /** Largest blob accepted, in bytes (default {@link DEFAULT_MAX_BLOB_BYTES}). */
  maxBlobBytes?: number;
  /** Upload sessions idle for longer than this are cancelled and their data removed (default 1 hour). */
  uploadTtlMs?: number;
  /** Upload sessions open at once, over all repositories (default 256). */
  maxUploads?: number;
}

/** 16 GiB: bigger than any sane layer, small enough to stop a runaway stream filling the disk. */
export const DEFAULT_MAX_BLOB_BYTES = 16 * 1024 ** 3;
