import { describe, expect, it } from 'vitest';
import { compilePolicy, matchesRepository } from '@/lib/cleanup/policy';
import { parsePolicy } from '@/lib/cleanup/policy-schema';
import { repositoryMatcher } from '@/lib/registry/filter/select';
import { compileRepositoryGlob } from './glob';

/** Does a cleanup policy with `repositories: [pattern]` cover `repo`? */
function policyMatches(pattern: string, repo: string): boolean {
  const parsed = parsePolicy({ repositories: [pattern], rules: [{ match: '.*', keepNewest: 1 }] });
  if (!parsed.ok) throw new Error(`policy refused ${pattern}: ${JSON.stringify(parsed.errors)}`);
  return matchesRepository(compilePolicy(parsed.policy), repo);
}

describe('one repository pattern language for sources and cleanup policies', () => {
  it.each([
    ['team/*', 'team/app', true],
    ['team/*', 'team/app/sub', false],
    ['team/*', 'team', false],
    ['team/*', 'other/app', false],
    ['team/**', 'team/app/sub', true],
    ['team/**', 'team', false],
    ['**', 'anything/at/all', true],
    ['**/cache', 'cache', true],
    ['**/cache', 'a/b/cache', true],
    ['**/cache', 'a/bcache', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['*-prod', 'web-prod', true],
    ['*-prod', 'x/web-prod', false],
    ['app-?', 'app-1', true],
    ['app-?', 'app-12', false],
    ['app?', 'app/', false],
    ['a.b', 'a.b', true],
    ['a.b', 'axb', false],
    ['exact', 'exact', true],
    ['exact', 'exact/sub', false],
  ])('%s vs %s → %s (sources and cleanup agree)', (pattern, repo, expected) => {
    expect(compileRepositoryGlob(pattern).test(repo)).toBe(expected);
    expect(repositoryMatcher({ include: [pattern] })(repo)).toBe(expected);
    // `app/` is not a repository name a policy can meet; everything else goes through a real policy.
    if (!repo.endsWith('/')) expect(policyMatches(pattern, repo)).toBe(expected);
  });
});
