/**
 * Path lookups inside a layer or an image filesystem: symlinks are followed in every component (an image
 * with `/lib -> usr/lib` must open `/lib/x86_64-linux-gnu/libc.so.6`), relative targets from the link's
 * directory, absolute ones from the image root — never outside it, as `..` stops at the root.
 */
import { layerError } from './errors';
import { normalisePath, parentOf } from './tar/path';
import type { TocEntry } from './types';

/** Most symlinks followed in one lookup (Linux's limit). */
export const MAX_SYMLINKS = 40;

export type Lookup<T extends TocEntry> = (path: string) => T | undefined;

/**
 * The entry at `path`, following symlinks (also in the last component when `followLast`). Undefined when a
 * component is missing. Throws a layer error after {@link MAX_SYMLINKS} links (a loop).
 */
export function resolvePath<T extends TocEntry>(lookup: Lookup<T>, path: string, followLast = true): T | undefined {
  let pending = normalisePath(path).split('/').filter(Boolean);
  let current = '';
  let hops = 0;
  let entry: T | undefined;
  if (pending.length === 0) return undefined;
  while (pending.length > 0) {
    const name = pending.shift()!;
    const candidate = current === '' ? name : `${current}/${name}`;
    entry = lookup(candidate);
    if (!entry) return undefined;
    const last = pending.length === 0;
    if (entry.type === 'symlink' && (!last || followLast)) {
      if (++hops > MAX_SYMLINKS) throw layerError('not-a-layer', `too many levels of symbolic links at ${candidate}`, { path: candidate });
      const target = entry.linkTarget ?? '';
      const base = target.startsWith('/') ? '' : parentOf(candidate);
      pending = [...normalisePath(base === '' ? target : `${base}/${target}`).split('/').filter(Boolean), ...pending];
      current = '';
      if (pending.length === 0) return undefined; // a link to the root itself
      continue;
    }
    if (!last && entry.type !== 'dir') return undefined;
    current = candidate;
  }
  return entry;
}

/** A layer-only directory listing: entries directly inside `dir`, plus directories the layer implies but omits. */
export function layerDirectory(entries: readonly TocEntry[], dir: string): TocEntry[] {
  const byName = new Map<string, TocEntry>();
  const prefix = dir === '' ? '' : `${dir}/`;
  for (const entry of entries) {
    if (!entry.path.startsWith(prefix) || entry.path === dir) continue;
    const rest = entry.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash === -1) byName.set(rest, entry);
    else {
      const name = rest.slice(0, slash);
      if (!byName.has(name)) byName.set(name, { path: prefix + name, type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0, mtime: 0 });
    }
  }
  return [...byName.keys()].sort().map((name) => byName.get(name)!);
}
