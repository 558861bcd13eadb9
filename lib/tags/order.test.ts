import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { arrangeTags } from '@/components/tags/tag-model';
import { parseSort } from '@/components/tags/tag-sort';
import type { TagRow } from '@/lib/api/types';
import { planTags } from '@/lib/cleanup/planner';
import { compilePolicy } from '@/lib/cleanup/policy';
import { pageRows } from '@/lib/server/tag-sort';
import { sortOrder } from '@/lib/server/validate';
import { compareNatural, compareVersionTags, versionOf } from './order';

function row(name: string, created: string | null = null, digest: string | null = null): TagRow {
  return {
    name,
    kind: 'tag',
    digest: digest as TagRow['digest'],
    mediaType: null,
    size: null,
    created,
    platforms: [],
    sharedWith: [],
    attached: {},
  } as unknown as TagRow;
}

/** The page's order (the tags view) for `sort` as written in the URL. */
function pageOrder(rows: TagRow[], sort: string, query = ''): string[] {
  return arrangeTags(rows, { query, sort: parseSort(sort), showAll: false }).rows.map((r) => r.tag.name);
}

/** The API's order for `?sort=` as the route reads it, over every page. */
function apiOrder(rows: TagRow[], sort: string, q?: string): string[] {
  const out: string[] = [];
  let last: string | undefined;
  for (;;) {
    const page = pageRows(rows, { sort: sortOrder(new URLSearchParams({ sort })), n: 3, ...(q ? { q } : {}), ...(last ? { last } : {}) });
    out.push(...page.items.map((r) => r.name));
    if (!page.next) return out;
    last = page.next;
  }
}

const NAMES = [
  'latest', 'main', 'build-10', 'build-9', 'v1.2', '1.2.0', 'V1.2.3', 'v1.10.0', '1.10.0-rc1',
  '3.19-alpine', '3.19', '2024.01.02', '1.2.3.4', 'sha256-abc', 'v1.9.3', '2.0.0', 'edge',
];

describe('one tag order for the page and the API', () => {
  const rows = NAMES.map((name, i) => row(name, i % 4 === 0 ? null : `2026-01-${String(10 + (i % 7)).padStart(2, '0')}T00:00:00Z`));

  for (const sort of ['name', '-name', 'version', '-version', 'created', '-created']) {
    it(`?sort=${sort} gives the same order in the page and every API page`, () => {
      expect(apiOrder(rows, sort)).toEqual(pageOrder(rows, sort));
    });
  }

  it('reads v1.2, V1.2.3, 3.19-alpine and 2024.01.02 as versions; 1.2.3.4, latest as not', () => {
    expect(versionOf('v1.2')?.version).toBe('1.2.0');
    expect(versionOf('V1.2.3')?.version).toBe('1.2.3');
    expect(versionOf('3.19-alpine')?.version).toBe('3.19.0-alpine');
    expect(versionOf('2024.01.02')?.version).toBe('2024.1.2');
    expect(versionOf('1.2.3.4')).toBeNull();
    expect(versionOf('latest')).toBeNull();
    expect(versionOf('version1.2.3')).toBeNull();
  });

  it('-version: versions newest first, then the rest in natural order (build-9 before build-10)', () => {
    expect(pageOrder(rows, '-version')).toEqual([
      '2024.01.02', '3.19', '3.19-alpine', '2.0.0', 'v1.10.0', '1.10.0-rc1', 'v1.9.3', 'V1.2.3', '1.2.0', 'v1.2',
      '1.2.3.4', 'build-9', 'build-10', 'edge', 'latest', 'main', 'sha256-abc',
    ]);
  });

  it('version: equal versions (1.2.0, v1.2) keep name order in either direction', () => {
    const asc = pageOrder(rows, 'version');
    expect(asc.slice(0, 3)).toEqual(['1.2.0', 'v1.2', 'V1.2.3']);
    expect(compareVersionTags('1.2.0', 'v1.2', true)).toBeLessThan(0);
  });

  it('orders natural runs of digits as numbers', () => {
    expect(['build-10', 'build-9', 'build-100', 'alpha', 'build-09'].sort(compareNatural)).toEqual(['alpha', 'build-9', 'build-09', 'build-10', 'build-100']);
  });

  it('sorts 10 000 semver tags like semver itself', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => row(`${i % 7}.${i % 13}.${i}`));
    const expected = many.map((r) => r.name).sort((a, b) => semver.rcompare(a, b));
    expect(pageOrder(many, '-version')).toEqual(expected);
  });

  it('the cleanup planner ranks like -created (newest first, undated last, ties by name)', () => {
    const compiled = compilePolicy({ repositories: ['r'], rules: [{ match: '.*', keepNewest: 100 }], protect: [], dryRun: true });
    const tags = rows.map((r) => ({ name: r.name, digest: `sha256:${'a'.repeat(64)}` as const, created: r.created, kind: 'tag' as const }));
    const plan = planTags(compiled, [{ repository: 'r', tags }], Date.parse('2026-02-01T00:00:00Z'));
    const ranked = plan.keep.map((k) => ({ tag: k.tag, rank: Number(/newest (\d+) of/.exec(k.detail)?.[1]) }));
    expect(ranked.length).toBe(rows.length);
    expect(ranked.sort((a, b) => a.rank - b.rank).map((k) => k.tag)).toEqual(pageOrder(rows, '-created'));
  });
});

describe('one q filter for the page and the API', () => {
  const D = 'sha256:' + '3c'.repeat(32);
  const rows = ['v1.2.0', 'v1.10.0', 'team-api', 'build-9', 'latest'].map((name, i) => row(name, null, i === 4 ? D : null));
  for (const q of ['v1', 'V1.1', 'v1 0', 'v*.0', 'api team', '3c3c3c', 'sha256:3c3c3c', '  ', 'nothing']) {
    it(`q=${JSON.stringify(q)} keeps the same tags`, () => {
      expect(apiOrder(rows, 'name', q)).toEqual(pageOrder(rows, 'name', q));
    });
  }
  it('matches words and *', () => {
    expect(apiOrder(rows, 'name', 'v*.0')).toEqual(['v1.10.0', 'v1.2.0']);
    expect(apiOrder(rows, 'name', 'api team')).toEqual(['team-api']);
    expect(apiOrder(rows, 'name', 'sha256:3c3c3c')).toEqual(['latest']);
  });
});
