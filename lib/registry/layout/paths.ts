/**
 * Where a repository lives: `team/app` → `<root>/team/app/`, an OCI image layout (`oci-layout`,
 * `index.json`, `blobs/<alg>/<encoded>`). Names are checked against the repository grammar before any path
 * is built (so `..`, absolute paths and empty components never reach the file system), components that would
 * collide with a layout's own files are refused, and the real path (symlinks resolved) must stay inside the
 * real root: a symlink out of the root makes the repository unknown for reads and invalid for writes.
 */
import 'server-only';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { RegistryError } from '@/lib/oci/errors';
import { checkDigest, checkRepository } from '@/lib/registry/local/validate';
import { isErrno, storageError } from './files';

/** Path components a repository name may not contain: they are files and folders of an OCI layout. */
export const RESERVED_COMPONENTS: ReadonlySet<string> = new Set(['blobs', 'index.json', 'oci-layout']);

export const LAYOUT_FILE = 'oci-layout';
export const INDEX_FILE = 'index.json';
export const LAYOUT_CONTENT = '{"imageLayoutVersion":"1.0.0"}';

// Digest parts that are safe as path components; parseDigest already enforces the image-spec grammar, this
// is a second fence because the result is joined into a path.
const ALGORITHM = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*$/;
const ENCODED = /^[a-zA-Z0-9=_-]+$/;

/** Validates a repository name for the layout (grammar + reserved components). Throws NAME_INVALID. */
export function checkLayoutName(name: string): string[] {
  checkRepository(name);
  const parts = name.split('/');
  const reserved = parts.find((part) => RESERVED_COMPONENTS.has(part));
  if (reserved) {
    throw new RegistryError('NAME_INVALID', `repository name component "${reserved}" is reserved by the OCI layout`, {
      detail: { name },
    });
  }
  return parts;
}

/** `blobs/<alg>/<encoded>` under a repository directory. Throws DIGEST_INVALID. */
export function blobPath(dir: string, digest: string): string {
  const { algorithm, encoded } = checkDigest(digest);
  if (!ALGORITHM.test(algorithm) || !ENCODED.test(encoded)) {
    throw new RegistryError('DIGEST_INVALID', 'digest cannot be stored in an OCI layout');
  }
  return join(dir, 'blobs', algorithm, encoded);
}

export function isInside(rootReal: string, candidate: string): boolean {
  return candidate.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);
}

async function realOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
    return storageError(error);
  }
}

/** Resolves paths of repositories under one root. */
export class LayoutPaths {
  constructor(readonly root: string) {}

  /** The root's real path, or undefined while it does not exist. */
  realRoot(): Promise<string | undefined> {
    return realOrUndefined(this.root);
  }

  /**
   * The real directory of an existing repository. NAME_UNKNOWN when it does not exist, has no `oci-layout`
   * or resolves outside the root. Validates the name first (NAME_INVALID).
   */
  async existing(name: string): Promise<string> {
    const parts = checkLayoutName(name);
    const unknown = () => new RegistryError('NAME_UNKNOWN', 'repository name not known to registry', { detail: { name } });
    const rootReal = await this.realRoot();
    if (!rootReal) throw unknown();
    const real = await realOrUndefined(join(this.root, ...parts));
    if (!real || !isInside(rootReal, real)) throw unknown();
    try {
      if (!(await stat(join(real, LAYOUT_FILE))).isFile()) throw unknown();
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) throw unknown();
      storageError(error);
    }
    return real;
  }

  /**
   * The real directory of a repository about to be written, created (with its parents) when missing.
   * NAME_INVALID when the path would leave the root through a symlink. The caller writes `oci-layout`.
   */
  async forWrite(name: string): Promise<string> {
    const parts = checkLayoutName(name);
    const escape = () => new RegistryError('NAME_INVALID', 'repository path leaves the registry root', { detail: { name } });
    try {
      await mkdir(this.root, { recursive: true });
      const rootReal = await realpath(this.root);
      const target = join(this.root, ...parts);
      // Check the deepest existing ancestor before creating anything, so mkdir never follows a symlink out.
      let probe = target;
      let probeReal = await realOrUndefined(probe);
      while (!probeReal) {
        probe = dirname(probe);
        probeReal = await realOrUndefined(probe);
      }
      if (probe !== this.root && !isInside(rootReal, probeReal)) throw escape();
      await mkdir(target, { recursive: true });
      const real = await realpath(target);
      if (!isInside(rootReal, real)) throw escape();
      return real;
    } catch (error) {
      if (isErrno(error, 'ENOTDIR', 'EEXIST')) {
        throw new RegistryError('NAME_INVALID', 'repository path collides with a file', { detail: { name } });
      }
      return storageError(error);
    }
  }
}
