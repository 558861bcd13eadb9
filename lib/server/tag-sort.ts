/**
 * Filtering, ordering and paging of tag rows, over the whole repository before a page is cut (a filter or a
 * sort that only sees one page is the most reported bug of registry UIs).
 *
 * Orders:
 * - `name`: byte order (the order registries use);
 * - `version`: semantic versions first (a leading `v` allowed, `semver` rules, prereleases before their
 *   release), then every other tag in natural order (`build-9` before `build-10`);
 * - `created`: oldest first; tags without a date always last.
 * A leading `-` reverses the order; tags that cannot be placed (no version, no date) stay at the end in
 * ascending order either way. Ties are broken by name.
 */
import 'server-only';
import semver from 'semver';
import type { TagRow } from '@/lib/api/types';
import { compareByteOrder } from '@/lib/registry/iter';
import type { Sort } from './validate';

type Row = Pick<TagRow, 'name' | 'created'>;

/** The semantic version a tag names (`1.2.3`, `v1.2.3-rc.1`), or null. */
export function tagVersion(name: string): semver.SemVer | null {
  const text = /^[vV]\d/.test(name) ? name.slice(1) : name;
  return semver.parse(text, { loose: false });
}

/** Natural order: runs of digits compare as numbers, the rest by bytes. */
export function compareNatural(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  const length = Math.min(pa.length, pb.length);
  for (let i = 0; i < length; i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const xd = /^\d/.test(x);
    const yd = /^\d/.test(y);
    if (xd && yd) {
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

function createdTime(row: Row): number | null {
  if (!row.created) return null;
  const time = Date.parse(row.created);
  return Number.isNaN(time) ? null : time;
}

/**
 * A comparator for `sort`. For `version` and `created`, rows that can be placed (a semantic version, a date)
 * come first in the requested direction; the others follow in ascending natural/name order whatever the direction.
 */
export function tagComparator(sort: Sort): (a: Row, b: Row) => number {
  const dir = sort.descending ? -1 : 1;
  const byName = (a: Row, b: Row) => compareByteOrder(a.name, b.name);
  if (sort.key === 'name') return (a, b) => dir * byName(a, b);
  if (sort.key === 'version') {
    const versions = new Map<string, semver.SemVer | null>();
    const version = (name: string) => {
      if (!versions.has(name)) versions.set(name, tagVersion(name));
      return versions.get(name)!;
    };
    return (a, b) => {
      const va = version(a.name);
      const vb = version(b.name);
      if (va && vb) return dir * (semver.compare(va, vb) || compareByteOrder(a.name, b.name));
      if (va) return -1;
      if (vb) return 1;
      return compareNatural(a.name, b.name) || byName(a, b);
    };
  }
  return (a, b) => {
    const ta = createdTime(a);
    const tb = createdTime(b);
    if (ta !== null && tb !== null) return dir * (ta - tb || byName(a, b));
    if (ta !== null) return -1;
    if (tb !== null) return 1;
    return byName(a, b);
  };
}

/** Case-insensitive substring match on the tag name. */
export function matchesQuery(name: string, q: string | undefined): boolean {
  return q === undefined || name.toLowerCase().includes(q.toLowerCase());
}

export interface Page<T> {
  items: T[];
  next: string | null;
  total: number;
}

/**
 * Filters by `q`, sorts, and cuts the page after `last` (a tag name; when that tag is gone, the page starts
 * where it would have been in the order).
 */
export function pageRows<T extends Row>(rows: readonly T[], options: { q?: string; sort: Sort; last?: string; n: number }): Page<T> {
  const compare = tagComparator(options.sort);
  const matching = rows.filter((row) => matchesQuery(row.name, options.q)).sort(compare);
  let start = 0;
  if (options.last !== undefined) {
    const at = matching.findIndex((row) => row.name === options.last);
    if (at >= 0) start = at + 1;
    else {
      const probe = { name: options.last, created: null } as Row;
      const after = matching.findIndex((row) => compare(row, probe) > 0);
      start = after < 0 ? matching.length : after;
    }
  }
  const items = matching.slice(start, start + options.n);
  const more = start + options.n < matching.length;
  return { items, next: more && items.length ? items[items.length - 1]!.name : null, total: matching.length };
}
