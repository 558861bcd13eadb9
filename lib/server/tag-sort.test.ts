import { describe, expect, it, vi } from 'vitest';
import { pageRows, tagComparator } from './tag-sort';

const rows = (names: string[], created: Record<string, string> = {}) => names.map((name) => ({ name, created: created[name] ?? null }));
const names = (list: { name: string }[]) => list.map((r) => r.name);

// What counts as a version and the natural order are pinned in lib/tags/order.test.ts.
describe('tag ordering', () => {
  it('sorts by version: semver first (prereleases before releases), others after in natural order', () => {
    const input = rows(['latest', 'v1.10.0', '1.2.0', 'v1.2.0-rc.1', '1.9.9', 'main', 'build-10', 'build-9', '2.0.0']);
    const asc = input.slice().sort(tagComparator({ key: 'version', descending: false }));
    expect(names(asc)).toEqual(['v1.2.0-rc.1', '1.2.0', '1.9.9', 'v1.10.0', '2.0.0', 'build-9', 'build-10', 'latest', 'main']);
    const desc = input.slice().sort(tagComparator({ key: 'version', descending: true }));
    expect(names(desc)).toEqual(['2.0.0', 'v1.10.0', '1.9.9', '1.2.0', 'v1.2.0-rc.1', 'build-9', 'build-10', 'latest', 'main']);
  });

  it('sorts by created with undated tags last in either direction', () => {
    const input = rows(['a', 'b', 'c', 'd'], { a: '2024-03-01T00:00:00Z', b: '2023-01-01T00:00:00Z', d: '2025-01-01T00:00:00Z' });
    expect(names(input.slice().sort(tagComparator({ key: 'created', descending: false })))).toEqual(['b', 'a', 'd', 'c']);
    expect(names(input.slice().sort(tagComparator({ key: 'created', descending: true })))).toEqual(['d', 'a', 'b', 'c']);
  });

  it('sorts by name in byte order, reversible', () => {
    const input = rows(['b', 'B', 'a', '_x', '1']);
    expect(names(input.slice().sort(tagComparator({ key: 'name', descending: false })))).toEqual(['1', 'B', '_x', 'a', 'b']);
    expect(names(input.slice().sort(tagComparator({ key: 'name', descending: true })))).toEqual(['b', 'a', '_x', 'B', '1']);
  });
});

describe('pageRows', () => {
  const all = rows(Array.from({ length: 25 }, (_, i) => `v1.${i}.0`));

  it('filters and sorts across the whole list before paging', () => {
    const first = pageRows(all, { q: 'V1.1', sort: { key: 'version', descending: true }, n: 4 });
    // v1.1.0 and v1.10.0 … v1.19.0 match: 11 tags.
    expect(first.total).toBe(11);
    expect(names(first.items)).toEqual(['v1.19.0', 'v1.18.0', 'v1.17.0', 'v1.16.0']);
    expect(first.next).toBe('v1.16.0');
    const second = pageRows(all, { q: 'v1.1', sort: { key: 'version', descending: true }, n: 4, last: first.next! });
    expect(names(second.items)).toEqual(['v1.15.0', 'v1.14.0', 'v1.13.0', 'v1.12.0']);
    const third = pageRows(all, { q: 'v1.1', sort: { key: 'version', descending: true }, n: 4, last: second.next! });
    expect(names(third.items)).toEqual(['v1.11.0', 'v1.10.0', 'v1.1.0']);
    expect(third.next).toBeNull();
  });

  it('continues after a cursor tag that no longer exists', () => {
    const page = pageRows(rows(['a', 'c', 'e']), { sort: { key: 'name', descending: false }, n: 10, last: 'b' });
    expect(names(page.items)).toEqual(['c', 'e']);
    const beyond = pageRows(rows(['a', 'c']), { sort: { key: 'name', descending: false }, n: 10, last: 'z' });
    expect(beyond.items).toEqual([]);
    expect(beyond.next).toBeNull();
  });
});

describe('pageRows by created', () => {
  it('parses each creation time once, not once per comparison', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ name: `t${i}`, created: new Date(Date.UTC(2024, 0, 1 + ((i * 7919) % 400))).toISOString() }));
    const expected = [...many].sort(tagComparator({ key: 'created', descending: true })).map((row) => row.name);
    const parse = vi.spyOn(Date, 'parse');
    try {
      const page = pageRows(many, { sort: { key: 'created', descending: true }, n: 500 });
      expect(page.items.map((row) => row.name)).toEqual(expected);
      expect(parse.mock.calls.length).toBeLessThanOrEqual(many.length);
    } finally {
      parse.mockRestore();
    }
  });
});
