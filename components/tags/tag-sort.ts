/** Sorting of tag rows by name, version or creation time; the spec is kept in the URL as `sort`. Pure. */
import { coerce, compare, parse, type SemVer } from 'semver';
import type { TagRow } from '@/lib/api/types';

export type TagSortKey = 'name' | 'version' | 'created';

export interface TagSort {
  key: TagSortKey;
  desc: boolean;
}

export const DEFAULT_SORT: TagSort = { key: 'name', desc: false };

/** `name`, `-name`, `version`, `-version`, `created`, `-created` (a leading `-` is descending). */
export function parseSort(value: string | null | undefined): TagSort {
  if (!value) return DEFAULT_SORT;
  const desc = value.startsWith('-');
  const key = desc ? value.slice(1) : value;
  if (key === 'name' || key === 'version' || key === 'created') return { key, desc };
  return DEFAULT_SORT;
}

/** The URL value of a sort; undefined for the default so URLs stay short. */
export function formatSort(sort: TagSort): string | undefined {
  if (sort.key === DEFAULT_SORT.key && sort.desc === DEFAULT_SORT.desc) return undefined;
  return `${sort.desc ? '-' : ''}${sort.key}`;
}

const versionCache = new Map<string, SemVer | null>();

/** The version a tag names (`v1.2.3`, `1.2`, `3.19-alpine`, `2024.01.02`), or null (`latest`, `main`). */
export function versionOf(tag: string): SemVer | null {
  const cached = versionCache.get(tag);
  if (cached !== undefined) return cached;
  let version: SemVer | null = null;
  if (/^v?\d/.test(tag)) {
    version = parse(tag.replace(/^v(?=\d)/, ''), { loose: true }) ?? coerce(tag, { includePrerelease: true });
  }
  if (versionCache.size > 50_000) versionCache.clear();
  versionCache.set(tag, version);
  return version;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Versions in order; tags that name no version come after all versions (in either direction). */
export function compareVersionTags(a: string, b: string, desc = false): number {
  const va = versionOf(a);
  const vb = versionOf(b);
  if (va && vb) {
    const order = compare(va, vb);
    // Equal versions (`1.2` and `1.2.0`) keep name order in either direction.
    return order ? (desc ? -order : order) : byName(a, b);
  }
  if (va) return -1;
  if (vb) return 1;
  return byName(a, b);
}

/** Rows without a creation time (not loaded yet, or unknown) come last in either direction. */
function compareCreated(a: TagRow, b: TagRow, desc: boolean): number {
  const ta = a.created ? Date.parse(a.created) : Number.NaN;
  const tb = b.created ? Date.parse(b.created) : Number.NaN;
  const na = Number.isNaN(ta);
  const nb = Number.isNaN(tb);
  if (na || nb) return na && nb ? byName(a.name, b.name) : na ? 1 : -1;
  const order = ta - tb;
  return order ? (desc ? -order : order) : byName(a.name, b.name);
}

export function compareTags(sort: TagSort): (a: TagRow, b: TagRow) => number {
  switch (sort.key) {
    case 'version':
      return (a, b) => compareVersionTags(a.name, b.name, sort.desc);
    case 'created':
      return (a, b) => compareCreated(a, b, sort.desc);
    default:
      return (a, b) => (sort.desc ? -byName(a.name, b.name) : byName(a.name, b.name));
  }
}
