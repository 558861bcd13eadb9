/**
 * The one ordering of tags, used by the tags page, the tags API (`?sort=`) and the cleanup planner. Pure
 * (no Node, no DOM): the browser and the server import the same code, so a sort can never disagree.
 *
 * Orders:
 * - `name`: byte order (the order registries list tags in); `-name` is its exact reverse.
 * - `version`: tags that name a version first, compared as semantic versions (prereleases before their
 *   release), then every other tag in natural order (`build-9` before `build-10`).
 * - `created`: oldest first; tags without a readable date last.
 * A leading `-` reverses the versions or dates; tags that cannot be placed (no version, no date) stay at the
 * end in ascending order either way, and ties (`1.2` and `1.2.0`, two tags of one image) keep ascending name
 * order in either direction, so `-version` is the same list everywhere.
 *
 * What counts as a version (see {@link versionOf}) is deliberately lenient, because registries are full of
 * tags that people read as versions but strict SemVer refuses: `v1.2`, `V1.2.3`, `3.19-alpine`, `2024.01.02`.
 */
import { PLACEHOLDER_BEFORE } from '@/lib/oci/created-date';
import semver from 'semver';
import { compareByteOrder } from '@/lib/registry/iter';

export type TagSortKey = 'name' | 'version' | 'created';

export interface TagSort {
  key: TagSortKey;
  /** Reverse the order (a leading `-` in the URL and the API). */
  desc: boolean;
}

export const DEFAULT_SORT: TagSort = { key: 'name', desc: false };

/** What a comparator needs of a tag: its name, and its creation time for `created`. */
export interface SortableTag {
  name: string;
  created?: string | null;
}

/** `name`, `-name`, `version`, `-version`, `created`, `-created`; null for anything else. */
export function readSort(value: string): TagSort | null {
  const desc = value.startsWith('-');
  const key = desc ? value.slice(1) : value;
  return key === 'name' || key === 'version' || key === 'created' ? { key, desc } : null;
}

/**
 * A version tag: an optional `v`/`V`, one to three dot-separated numbers (missing ones are 0, leading zeros
 * are ignored: `2024.01.02` is 2024.1.2), then an optional `-prerelease` and `+build` as in SemVer. So
 * `3.19-alpine` is 3.19.0 with prerelease `alpine` and sorts just before `3.19`; `1.2.3.4`, `latest`,
 * `sha256-…` are not versions.
 */
const VERSION = /^[vV]?(\d{1,16})(?:\.(\d{1,16}))?(?:\.(\d{1,16}))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

const versionCache = new Map<string, semver.SemVer | null>();

/** The version a tag names (see {@link VERSION}), or null. */
export function versionOf(tag: string): semver.SemVer | null {
  const cached = versionCache.get(tag);
  if (cached !== undefined) return cached;
  let version: semver.SemVer | null = null;
  const m = VERSION.exec(tag);
  if (m) {
    const core = [m[1], m[2] ?? '0', m[3] ?? '0'].map((part) => String(Number(part))).join('.');
    // Loose: prerelease identifiers like `01` (leading zero) are accepted rather than dropping the tag.
    version = semver.parse(`${core}${m[4] ? `-${m[4]}` : ''}${m[5] ? `+${m[5]}` : ''}`, { loose: true });
  }
  // Bounded: a page of 100 000 tags must not grow this forever.
  if (versionCache.size > 50_000) versionCache.clear();
  versionCache.set(tag, version);
  return version;
}

/** Natural order: runs of digits compare as numbers, the rest in byte order. */
export function compareNatural(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  const length = Math.min(pa.length, pb.length);
  for (let i = 0; i < length; i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const xs = x.replace(/^0+(?=\d)/, '');
      const ys = y.replace(/^0+(?=\d)/, '');
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
      // Equal numbers written differently (`01` / `1`): fewer leading zeros first.
      return x.length - y.length;
    }
    return compareByteOrder(x, y);
  }
  return pa.length - pb.length;
}

/** Milliseconds since the epoch, or null for a missing, unreadable or placeholder time (`lib/oci/created-date.ts`). */
export function createdMs(created: string | null | undefined): number | null {
  if (!created) return null;
  const ms = Date.parse(created);
  // A reproducible build's placeholder time (before 1980) is no date: sorted and aged like a missing one.
  // Compared here rather than through isPlaceholderDate, which would parse the time a second time.
  return Number.isFinite(ms) && ms >= PLACEHOLDER_BEFORE ? ms : null;
}

/**
 * Places values that exist in the requested direction, before the ones that do not (null). Returns 0 when
 * both are placed equal or both are missing, for the caller's tie-break.
 */
function placed<T>(x: T | null, y: T | null, compare: (x: T, y: T) => number, desc: boolean): number {
  if (x !== null && y !== null) {
    const order = compare(x, y);
    return desc ? -order : order;
  }
  if (x !== null) return -1;
  if (y !== null) return 1;
  return 0;
}

/** Versions first (in the requested direction), then the others in natural order; ties by name. */
export function compareVersionTags(a: string, b: string, desc = false): number {
  const va = versionOf(a);
  const vb = versionOf(b);
  const order = placed(va, vb, semver.compare, desc);
  if (order) return order;
  if (va === null) return compareNatural(a, b) || compareByteOrder(a, b);
  return compareByteOrder(a, b);
}

/** Dates first (in the requested direction), undated after; ties by name. */
export function compareCreatedTimes(a: { name: string; ms: number | null }, b: { name: string; ms: number | null }, desc = false): number {
  return placed(a.ms, b.ms, (x, y) => x - y, desc) || compareByteOrder(a.name, b.name);
}

/** The comparator for `sort` (see the module comment). */
export function compareTags(sort: TagSort): (a: SortableTag, b: SortableTag) => number {
  switch (sort.key) {
    case 'version':
      return (a, b) => compareVersionTags(a.name, b.name, sort.desc);
    case 'created':
      return (a, b) => compareCreatedTimes({ name: a.name, ms: createdMs(a.created) }, { name: b.name, ms: createdMs(b.created) }, sort.desc);
    default:
      return (a, b) => (sort.desc ? -compareByteOrder(a.name, b.name) : compareByteOrder(a.name, b.name));
  }
}

/**
 * `tags` in the order of `sort`, as a new array; the same order as sorting with {@link compareTags}, but every
 * creation time is parsed once instead of twice per comparison (2,000 tags by `created`: ~44,000 parses).
 */
export function sortTags<T extends SortableTag>(tags: readonly T[], sort: TagSort): T[] {
  if (sort.key !== 'created') return [...tags].sort(compareTags(sort));
  const keyed = tags.map((tag) => ({ tag, name: tag.name, ms: createdMs(tag.created) }));
  keyed.sort((a, b) => compareCreatedTimes(a, b, sort.desc));
  return keyed.map((k) => k.tag);
}
