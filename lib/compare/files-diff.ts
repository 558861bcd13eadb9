/**
 * The file-level difference of two image filesystems: paths added, removed and changed (type, size, mode,
 * owner, link target), and the size change per directory (files below it, recursively) so that "why did it
 * grow" reads off the largest deltas. Pure.
 */
import type { ImageFilesystem } from '@/lib/layers/filesystem';
import { parentOf } from '@/lib/layers/tar/path';
import type { EntryType } from '@/lib/layers/types';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface EntryBrief {
  type: EntryType;
  size: number;
  mode: number;
  linkTarget?: string;
  /** SHA-256 of the content, when it was compared (see `contentDigests` of {@link diffFilesystems}). */
  digest?: string;
}

export interface FileChange {
  path: string;
  change: ChangeKind;
  type: EntryType;
  /** Size in `to` minus size in `from` (files only; 0 otherwise). */
  sizeDelta: number;
  /** For `changed`: which attributes differ. */
  fields?: ('type' | 'size' | 'mode' | 'uid' | 'gid' | 'linkTarget' | 'layer' | 'content')[];
  from?: EntryBrief;
  to?: EntryBrief;
}

export interface DirectoryDelta {
  /** Directory path (`''` is the root). */
  path: string;
  /** Bytes of files below it in `to` minus in `from`. */
  sizeDelta: number;
  added: number;
  removed: number;
  changed: number;
}

export interface FilesDiff {
  changes: FileChange[];
  /** Directories whose content changed, largest absolute size change first. */
  directories: DirectoryDelta[];
  totals: { added: number; removed: number; changed: number; sizeDelta: number };
}

function brief(entry: { type: EntryType; size: number; mode: number; linkTarget?: string }): EntryBrief {
  return { type: entry.type, size: entry.size, mode: entry.mode, ...(entry.linkTarget !== undefined ? { linkTarget: entry.linkTarget } : {}) };
}

/**
 * `from` → `to`. A file rewritten by a later layer with the same type, size, mode, owner and target counts
 * as changed with `layer` when it comes from a different layer blob (content is not compared) (`sameContent` tells whether two
 * entries are known to hold the same bytes, e.g. because they come from the same layer digest).
 * `contentDigests` settles such files where their bytes were hashed: equal digests are no change, different
 * ones a change of `content` (with both digests).
 */
export function diffFilesystems(from: ImageFilesystem, to: ImageFilesystem, sameContent: (path: string) => boolean, contentDigests?: ReadonlyMap<string, { from: string; to: string }>): FilesDiff {
  const changes: FileChange[] = [];
  for (const [path, a] of from.entries) {
    const b = to.entries.get(path);
    if (!b) {
      changes.push({ path, change: 'removed', type: a.type, sizeDelta: -(a.type === 'file' ? a.size : 0), from: brief(a) });
      continue;
    }
    const fields: NonNullable<FileChange['fields']> = [];
    if (a.type !== b.type) fields.push('type');
    if (a.size !== b.size) fields.push('size');
    if (a.mode !== b.mode) fields.push('mode');
    if (a.uid !== b.uid) fields.push('uid');
    if (a.gid !== b.gid) fields.push('gid');
    if (a.linkTarget !== b.linkTarget) fields.push('linkTarget');
    const digests = contentDigests?.get(path);
    if (fields.length === 0 && a.type === 'file' && !sameContent(path)) {
      if (!digests) fields.push('layer');
      else if (digests.from !== digests.to) fields.push('content');
    }
    if (fields.length) {
      const sizeDelta = (b.type === 'file' ? b.size : 0) - (a.type === 'file' ? a.size : 0);
      const withDigest = (entry: EntryBrief, digest: string | undefined) => (fields.includes('content') && digest ? { ...entry, digest } : entry);
      changes.push({ path, change: 'changed', type: b.type, sizeDelta, fields, from: withDigest(brief(a), digests?.from), to: withDigest(brief(b), digests?.to) });
    }
  }
  for (const [path, b] of to.entries) {
    if (!from.entries.has(path)) changes.push({ path, change: 'added', type: b.type, sizeDelta: b.type === 'file' ? b.size : 0, to: brief(b) });
  }
  changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));

  const dirs = new Map<string, DirectoryDelta>();
  const totals = { added: 0, removed: 0, changed: 0, sizeDelta: 0 };
  for (const change of changes) {
    totals[change.change]++;
    totals.sizeDelta += change.sizeDelta;
    let dir = change.path;
    do {
      dir = parentOf(dir);
      const delta = dirs.get(dir) ?? { path: dir, sizeDelta: 0, added: 0, removed: 0, changed: 0 };
      delta.sizeDelta += change.sizeDelta;
      delta[change.change]++;
      dirs.set(dir, delta);
    } while (dir !== '');
  }
  const directories = [...dirs.values()].sort((x, y) => Math.abs(y.sizeDelta) - Math.abs(x.sizeDelta) || (x.path < y.path ? -1 : 1));
  return { changes, directories, totals };
}
