import { describe, expect, it } from 'vitest';
import { nameMatcher } from '@/lib/text/query';
import { catalogRows, filterRepositories, namespaceOf } from './catalog-model';

describe('namespaceOf', () => {
  it('is everything before the last slash', () => {
    expect(namespaceOf('app')).toBe('');
    expect(namespaceOf('team/app')).toBe('team');
    expect(namespaceOf('org/team/app')).toBe('org/team');
  });
});

describe('filterRepositories', () => {
  const repos = ['alpine', 'team/api', 'team/web', 'infra/team-api', 'Other/API-gw'];
  it('matches substrings case-insensitively over the whole list', () => {
    expect(filterRepositories(repos, 'API')).toEqual(['team/api', 'infra/team-api', 'Other/API-gw']);
  });
  it('requires every term', () => {
    expect(filterRepositories(repos, 'team api')).toEqual(['team/api', 'infra/team-api']);
  });
  it('supports * as a wildcard and escapes regex characters', () => {
    expect(filterRepositories(repos, 'team/*i')).toEqual(['team/api']);
    expect(nameMatcher('a.b*')('axb')).toBe(false);
    expect(nameMatcher('a.b*')('a.bc')).toBe(true);
  });
  it('keeps everything for an empty query', () => {
    expect(filterRepositories(repos, '   ')).toEqual(repos);
  });
});

describe('catalogRows', () => {
  it('groups by namespace with counts, root first, sorted', () => {
    const rows = catalogRows(['team/web', 'alpine', 'team/api', 'busybox', 'a/b/c']);
    expect(rows).toEqual([
      { type: 'group', namespace: '', count: 2 },
      { type: 'repo', repo: 'alpine', namespace: '', name: 'alpine' },
      { type: 'repo', repo: 'busybox', namespace: '', name: 'busybox' },
      { type: 'group', namespace: 'a/b', count: 1 },
      { type: 'repo', repo: 'a/b/c', namespace: 'a/b', name: 'c' },
      { type: 'group', namespace: 'team', count: 2 },
      { type: 'repo', repo: 'team/api', namespace: 'team', name: 'api' },
      { type: 'repo', repo: 'team/web', namespace: 'team', name: 'web' },
    ]);
  });
  it('leaves out headers when nothing has a namespace', () => {
    expect(catalogRows(['b', 'a']).map((r) => r.type)).toEqual(['repo', 'repo']);
  });
  it('filters and groups 10,000 repositories', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `ns${i % 50}/repo-${i}`);
    const rows = catalogRows(filterRepositories(many, 'repo-1'));
    expect(rows.filter((r) => r.type === 'repo')).toHaveLength(1111);
  });
});
