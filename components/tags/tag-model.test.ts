import semver from 'semver';
import { describe, expect, it, vi } from 'vitest';
import type { TagRow } from '@/lib/api/types';
import { computeTracks, MAX_LANES } from './manifest-tracks';
import { tagMatcher } from '@/lib/text/query';
import { arrangeTags } from './tag-model';
import { compareTags, compareVersionTags } from '@/lib/tags/order';
import { formatSort, parseSort } from './tag-sort';

const D1 = 'sha256:' + '1'.repeat(64);
const D2 = 'sha256:' + '2'.repeat(64);
const D3 = 'sha256:' + '3'.repeat(64);

function row(name: string, extra: Partial<TagRow> = {}): TagRow {
  return {
    name,
    kind: 'tag',
    digest: null,
    mediaType: null,
    manifestKind: null,
    size: null,
    created: null,
    platforms: [],
    sharedWith: [],
    ...extra,
  };
}

describe('sort specs', () => {
  it('round-trips through the URL value', () => {
    expect(parseSort(null)).toEqual({ key: 'name', desc: false });
    expect(parseSort('-created')).toEqual({ key: 'created', desc: true });
    expect(parseSort('bogus')).toEqual({ key: 'name', desc: false });
    expect(formatSort({ key: 'name', desc: false })).toBeUndefined();
    expect(formatSort({ key: 'version', desc: true })).toBe('-version');
  });
});

describe('version order', () => {
  const tags = ['latest', 'v1.10.0', '1.2.0', 'v1.9.3', '1.10.0-rc1', 'main', '2024.01.02', '1.2'];
  it('orders by semantic version and keeps non-versions last', () => {
    expect([...tags].sort((a, b) => compareVersionTags(a, b))).toEqual([
      '1.2',
      '1.2.0',
      'v1.9.3',
      '1.10.0-rc1',
      'v1.10.0',
      '2024.01.02',
      'latest',
      'main',
    ]);
  });
  it('reverses versions only when descending', () => {
    expect([...tags].sort((a, b) => compareVersionTags(a, b, true)).slice(0, 3)).toEqual(['2024.01.02', 'v1.10.0', '1.10.0-rc1']);
    expect([...tags].sort((a, b) => compareVersionTags(a, b, true)).slice(-2)).toEqual(['latest', 'main']);
  });
});

describe('arrangeTags', () => {
  const all: TagRow[] = [
    row('v2', { digest: D2, created: '2026-01-03T00:00:00Z', sharedWith: ['latest'] }),
    row('latest', { digest: D2, created: '2026-01-03T00:00:00Z', sharedWith: ['v2'] }),
    row('v1', { digest: D1, created: '2026-01-01T00:00:00Z' }),
    row('sha256-' + '2'.repeat(64), { kind: 'referrers-fallback', subjectDigest: D2, digest: D3 }),
    row('sha256-' + '2'.repeat(64) + '.sig', { kind: 'signature', subjectDigest: D2 }),
    row('sha256-' + '9'.repeat(64) + '.att', { kind: 'attestation', subjectDigest: 'sha256:' + '9'.repeat(64) }),
    row('old', { created: null }),
  ];

  it('folds artifact tags away and counts them on their subject', () => {
    const result = arrangeTags(all, { query: '', sort: { key: 'name', desc: false }, showAll: false });
    expect(result.rows.map((r) => r.tag.name)).toEqual(['latest', 'old', 'v1', 'v2']);
    expect(result.rows.map((r) => r.folded)).toEqual([2, 0, 0, 2]);
    expect(result.total).toBe(4);
    expect(result.artifactTags).toBe(3);
  });

  it('shows artifact tags under the first shown tag of their subject, orphans in order', () => {
    const result = arrangeTags(all, { query: '', sort: { key: 'name', desc: false }, showAll: true });
    expect(result.rows.map((r) => [r.tag.name.slice(0, 12), r.depth])).toEqual([
      ['latest', 0],
      ['sha256-22222', 1],
      ['sha256-22222', 1],
      ['old', 0],
      ['sha256-99999', 0],
      ['v1', 0],
      ['v2', 0],
    ]);
    expect(result.total).toBe(7);
  });

  it('sorts by creation time with unknown times last', () => {
    const result = arrangeTags(all, { query: '', sort: { key: 'created', desc: true }, showAll: false });
    expect(result.rows.map((r) => r.tag.name)).toEqual(['latest', 'v2', 'v1', 'old']);
  });

  it('filters across every tag by name and by digest', () => {
    expect(arrangeTags(all, { query: 'v', sort: { key: 'name', desc: false }, showAll: false }).rows.map((r) => r.tag.name)).toEqual(['v1', 'v2']);
    expect(tagMatcher('111111')(all[2]!)).toBe(true);
    expect(tagMatcher('sha256:222222')(all[0]!)).toBe(true);
    expect(tagMatcher('1111')(all[2]!)).toBe(false);
  });

  it('filters and sorts 10,000 tags by version', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => row(`1.${i % 100}.${i}`, { created: new Date(i * 1000).toISOString() }));
    const result = arrangeTags(many, { query: '1.5', sort: { key: 'version', desc: true }, showAll: false });
    expect(result.rows.length).toBeGreaterThan(100);
    const names = result.rows.map((r) => r.tag.name);
    expect(names.every((name) => name.includes('1.5'))).toBe(true);
    const sorted = [...names].sort((a, b) => semver.rcompare(a, b));
    expect(names).toEqual(sorted);
  });
});

describe('arrangeTags per filter keystroke', () => {
  const many = Array.from({ length: 2000 }, (_, i) =>
    row(`v1.${i % 97}.${i}`, { digest: `sha256:${String(i % 500).padStart(64, '0')}`, created: new Date(1.7e12 + ((i * 7919) % 2000) * 60_000).toISOString() }),
  );

  it('sorts a tag list once per sort: a new query only filters (no date is parsed again)', () => {
    const sort = { key: 'created', desc: true } as const;
    arrangeTags(many, { query: '', sort, showAll: false });
    const parse = vi.spyOn(Date, 'parse');
    try {
      for (const query of ['1', '1.', '1.1', '1.1 v']) arrangeTags(many, { query, sort, showAll: false });
      arrangeTags(many, { query: '1.1', sort, showAll: true });
      expect(parse).not.toHaveBeenCalled();
      // A new list (details arrived) or another sort is sorted anew.
      arrangeTags([...many], { query: '1.1', sort, showAll: false });
      expect(parse).toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('gives the same rows as sorting the filtered tags', () => {
    const withArtifacts = [
      ...many,
      row('latest', { digest: D2, created: '2026-01-03T00:00:00Z' }),
      row('sha256-' + '2'.repeat(64) + '.sig', { kind: 'signature', subjectDigest: D2 }),
      row('undated'),
    ];
    for (const sort of ['name', '-name', 'version', '-version', 'created', '-created'].map(parseSort)) {
      for (const query of ['', '1.1', 'v', 'sha256:2222222']) {
        const expected = withArtifacts.filter((t) => t.kind === 'tag' && tagMatcher(query)(t)).sort(compareTags(sort));
        expect(arrangeTags(withArtifacts, { query, sort, showAll: false }).rows.map((r) => r.tag)).toEqual(expected);
      }
    }
  });
});

describe('computeTracks', () => {
  it('joins the rows of a shared digest with a line and leaves single tags alone', () => {
    const tracks = computeTracks([
      { digest: D1, shared: 1 },
      { digest: D2, shared: 0 },
      { digest: D1, shared: 1 },
    ]);
    expect(tracks.lanes).toBe(1);
    expect(tracks.rows[0]?.dot?.lane).toBe(0);
    expect(tracks.rows[0]?.segments).toEqual([expect.objectContaining({ lane: 0, up: false, down: true })]);
    expect(tracks.rows[1]?.dot).toBeUndefined();
    expect(tracks.rows[1]?.segments).toEqual([expect.objectContaining({ lane: 0, up: true, down: true })]);
    expect(tracks.rows[2]?.segments).toEqual([expect.objectContaining({ lane: 0, up: true, down: false })]);
  });

  it('gives overlapping digests separate lanes and reuses freed lanes', () => {
    const tracks = computeTracks([
      { digest: D1, shared: 1 },
      { digest: D2, shared: 1 },
      { digest: D1, shared: 1 },
      { digest: D2, shared: 1 },
      { digest: D3, shared: 1 },
      { digest: D3, shared: 1 },
    ]);
    expect(tracks.lanes).toBe(2);
    expect(tracks.rows[4]?.dot?.lane).toBe(0);
  });

  it('shows a dot without a line when the siblings are not on screen', () => {
    const tracks = computeTracks([{ digest: D1, shared: 2 }]);
    expect(tracks.rows[0]?.dot).toBeDefined();
    expect(tracks.rows[0]?.segments).toEqual([]);
  });

  it('caps the number of lanes', () => {
    const input = [];
    for (let i = 0; i < 10; i++) input.push({ digest: `sha256:${String(i).repeat(64)}`, shared: 1 });
    for (let i = 0; i < 10; i++) input.push({ digest: `sha256:${String(i).repeat(64)}`, shared: 1 });
    const tracks = computeTracks(input);
    expect(tracks.lanes).toBe(MAX_LANES + 1);
    expect(tracks.rows[9]?.dot?.lane).toBe(MAX_LANES);
    expect(tracks.rows[9]?.segments.every((s) => s.lane < MAX_LANES)).toBe(true);
  });
});
