/**
 * The filesystem of an image: its layers applied in order, as a container runtime unpacks them. Pure.
 *
 * - A whiteout `DIR/.wh.NAME` removes `DIR/NAME` (and everything under it) of the lower layers.
 * - An opaque marker `DIR/.wh..wh..opq` removes everything under `DIR` of the lower layers; `DIR` stays.
 * - Whiteouts only act on lower layers: entries of the same layer survive them, whatever their order in the
 *   archive. Whiteout files themselves are not part of the filesystem.
 * - A later entry replaces an earlier one at the same path; a non-directory replacing a directory removes
 *   what was under it; a directory over a directory keeps the children (only metadata changes).
 * - Parent directories a layer omits are created implicitly (`implicit: true`).
 * @see https://github.com/opencontainers/image-spec/blob/v1.1.1/layer.md#whiteouts
 */
import { baseName, parentOf } from './tar/path';
import type { TocEntry } from './types';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

/** One path of the image filesystem. */
export interface FsEntry extends TocEntry {
  /** Index of the layer (0 = bottom) that last wrote this path. */
  layer: number;
  /** Index of the entry in that layer's table of contents; -1 for implicit directories. */
  entryIndex: number;
  /** Layers whose version of this path this one hides, oldest first. */
  overrides?: number[];
  /** The directory is not in any layer: created because a layer had entries below it. */
  implicit?: true;
}

/** A path a whiteout removed, and by which layer. */
export interface Removal {
  path: string;
  layer: number;
  /** `opaque`: everything under `path` was removed, `path` itself stays. */
  opaque?: true;
}

export interface ImageFilesystem {
  /** Every path, keyed by its normalised path. */
  entries: Map<string, FsEntry>;
  /** Names (last component) of the children of each directory path (`''` is the root). */
  children: Map<string, Set<string>>;
  removals: Removal[];
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

class Builder {
  readonly fs: ImageFilesystem = { entries: new Map(), children: new Map([['', new Set()]]), removals: [] };

  private link(path: string): void {
    const parent = parentOf(path);
    let set = this.fs.children.get(parent);
    if (!set) {
      set = new Set();
      this.fs.children.set(parent, set);
    }
    set.add(baseName(path));
  }

  /** Removes everything below `dir` (not `dir`). */
  removeBelow(dir: string): void {
    const names = this.fs.children.get(dir);
    if (!names) return;
    for (const name of names) this.remove(join(dir, name), false);
    names.clear();
  }

  /** Removes `path` and everything below it. */
  remove(path: string, unlink = true): void {
    if (!this.fs.entries.has(path)) return;
    this.removeBelow(path);
    this.fs.children.delete(path);
    this.fs.entries.delete(path);
    if (unlink) this.fs.children.get(parentOf(path))?.delete(baseName(path));
  }

  /** Makes sure every ancestor of `path` is a directory (implicit where no layer made one). */
  ensureParents(path: string, layer: number): void {
    const parent = parentOf(path);
    if (parent === '') return;
    const existing = this.fs.entries.get(parent);
    if (existing?.type === 'dir') return;
    this.ensureParents(parent, layer);
    if (existing) this.remove(parent);
    this.fs.entries.set(parent, { path: parent, type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0, layer, entryIndex: -1, implicit: true });
    this.fs.children.set(parent, this.fs.children.get(parent) ?? new Set());
    this.link(parent);
  }

  add(entry: TocEntry, layer: number, entryIndex: number): void {
    const existing = this.fs.entries.get(entry.path);
    if (existing && !(existing.type === 'dir' && entry.type === 'dir')) this.remove(entry.path);
    this.ensureParents(entry.path, layer);
    const next: FsEntry = { ...entry, layer, entryIndex };
    if (existing) {
      const overrides = [...(existing.overrides ?? []), ...(existing.implicit ? [] : [existing.layer])].filter((l) => l !== layer);
      if (overrides.length) next.overrides = [...new Set(overrides)];
    }
    this.fs.entries.set(entry.path, next);
    if (entry.type === 'dir' && !this.fs.children.has(entry.path)) this.fs.children.set(entry.path, new Set());
    this.link(entry.path);
  }
}

/** Applies `layers` (bottom first, each a table of contents' entries) and returns the image filesystem. */
export function applyLayers(layers: readonly (readonly TocEntry[])[]): ImageFilesystem {
  const builder = new Builder();
  layers.forEach((entries, layer) => {
    // Whiteouts first: they act on the lower layers only.
    for (const entry of entries) {
      const name = baseName(entry.path);
      if (!name.startsWith(WHITEOUT_PREFIX)) continue;
      const dir = parentOf(entry.path);
      if (name === OPAQUE_MARKER) {
        builder.removeBelow(dir);
        builder.fs.removals.push({ path: dir, layer, opaque: true });
      } else {
        const target = join(dir, name.slice(WHITEOUT_PREFIX.length));
        builder.remove(target);
        builder.fs.removals.push({ path: target, layer });
      }
    }
    entries.forEach((entry, index) => {
      if (!baseName(entry.path).startsWith(WHITEOUT_PREFIX)) builder.add(entry, layer, index);
    });
  });
  return builder.fs;
}

/** The entries directly inside `dir` (`''` for the root), sorted by name; undefined when `dir` is not a directory. */
export function listDirectory(fs: ImageFilesystem, dir: string): FsEntry[] | undefined {
  if (dir !== '' && fs.entries.get(dir)?.type !== 'dir') return undefined;
  const names = [...(fs.children.get(dir) ?? [])].sort();
  return names.map((name) => fs.entries.get(join(dir, name))!).filter(Boolean);
}

/** Every entry below `dir` (`''` for the whole image), at any depth, sorted by path. */
export function listSubtree(fs: ImageFilesystem, dir: string): FsEntry[] {
  const prefix = dir === '' ? '' : `${dir}/`;
  const out: FsEntry[] = [];
  for (const [path, entry] of fs.entries) if (path.startsWith(prefix)) out.push(entry);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
