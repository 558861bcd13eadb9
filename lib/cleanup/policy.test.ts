import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import {
  compilePolicy,
  matchesRepository,
  policyError,
  regexProblem,
  repositoryPatternProblem,
} from './policy';
import { parsePolicy, parsePolicyText } from './policy-schema';
import { parseCleanupRequest, plannedKey } from './request';

const ISSUE_POLICY = {
  repositories: ['team/*'],
  rules: [{ match: '^ci-', keepNewest: 5, olderThanDays: 30 }],
  protect: ['^latest$', '^v\\d+\\.\\d+\\.\\d+$'],
  dryRun: true,
};

function fields(input: unknown): string[] {
  const result = parsePolicy(input);
  if (result.ok) throw new Error('expected errors');
  return result.errors.map((e) => e.field);
}

describe('parsePolicy', () => {
  it('accepts the policy of the issue unchanged', () => {
    const result = parsePolicy(ISSUE_POLICY);
    expect(result).toEqual({ ok: true, policy: ISSUE_POLICY });
  });

  it('defaults dryRun to true and protect to []', () => {
    const result = parsePolicy({ repositories: ['app'], rules: [{ match: '.*', keepNewest: 1 }] });
    expect(result.ok && result.policy).toEqual({
      repositories: ['app'],
      rules: [{ match: '.*', keepNewest: 1 }],
      protect: [],
      dryRun: true,
    });
  });

  it('keeps a valid now and refuses an invalid one', () => {
    const ok = parsePolicy({ ...ISSUE_POLICY, now: '2026-03-01T00:00:00Z' });
    expect(ok.ok && ok.policy.now).toBe('2026-03-01T00:00:00Z');
    expect(fields({ ...ISSUE_POLICY, now: 'yesterday' })).toEqual(['now']);
    expect(fields({ ...ISSUE_POLICY, now: '2026-03-01' })).toEqual(['now']);
    expect(fields({ ...ISSUE_POLICY, now: 12 })).toEqual(['now']);
  });

  it('names the field of an invalid rule regex with the engine message', () => {
    const result = parsePolicy({ ...ISSUE_POLICY, rules: [{ match: '^ci-(', keepNewest: 1 }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.field).toBe('rules[0].match');
    expect(result.errors[0]!.message).toMatch(/not a valid regular expression: missing closing \)/i);
  });

  it('names the field of an invalid protect regex', () => {
    expect(fields({ ...ISSUE_POLICY, protect: ['^latest$', '[unclosed'] })).toEqual(['protect[1]']);
    expect(fields({ ...ISSUE_POLICY, protect: ['ok', 7] })).toEqual(['protect[1]']);
    expect(fields({ ...ISSUE_POLICY, protect: '^latest$' })).toEqual(['protect']);
  });

  it('reports every problem at once', () => {
    const result = parsePolicy({
      repositories: ['Team/App', 'ok/*'],
      rules: [{ match: '(', keepNewest: -1 }, { match: 'x', olderThanDays: 'old' }, 'nope'],
      protect: ['('],
      dryRun: 'yes',
      extra: 1,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field).sort()).toEqual(
      [
        'extra',
        'repositories[0]',
        'protect[0]',
        'rules[0].match',
        'rules[0].keepNewest',
        'rules[1].olderThanDays',
        'rules[2]',
        'dryRun',
      ].sort(),
    );
  });

  it('refuses unknown fields (typos must not silently widen a deletion)', () => {
    const result = parsePolicy({ ...ISSUE_POLICY, rules: [{ match: '^ci-', keepLatest: 5 }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual(['rules[0].keepLatest', 'rules[0]']);
    expect(result.errors[0]!.message).toMatch(/not a known field.*keepNewest/);
    expect(result.errors[1]!.message).toMatch(/keepNewest, olderThanDays or both/);
  });

  it('requires keepNewest or olderThanDays; keepNewest 0 alone is allowed', () => {
    expect(fields({ ...ISSUE_POLICY, rules: [{ match: '^pr-' }] })).toEqual(['rules[0]']);
    // Also when the rule has other problems: every problem at once.
    expect(fields({ ...ISSUE_POLICY, rules: [{}] })).toEqual(['rules[0].match', 'rules[0]']);
    const ok = parsePolicy({ ...ISSUE_POLICY, rules: [{ match: '^pr-', keepNewest: 0 }] });
    expect(ok.ok).toBe(true);
    const days = parsePolicy({ ...ISSUE_POLICY, rules: [{ match: '^pr-', olderThanDays: 0.5 }] });
    expect(days.ok).toBe(true);
  });

  it('checks number ranges', () => {
    expect(fields({ ...ISSUE_POLICY, rules: [{ match: 'a', keepNewest: 1.5 }] })).toEqual(['rules[0].keepNewest']);
    expect(fields({ ...ISSUE_POLICY, rules: [{ match: 'a', keepNewest: '5' }] })).toEqual(['rules[0].keepNewest']);
    expect(fields({ ...ISSUE_POLICY, rules: [{ match: 'a', olderThanDays: -1 }] })).toEqual(['rules[0].olderThanDays']);
    expect(fields({ ...ISSUE_POLICY, rules: [{ match: 'a', olderThanDays: Infinity }] })).toEqual(['rules[0].olderThanDays']);
  });

  it('requires repositories and rules', () => {
    expect(fields({ rules: ISSUE_POLICY.rules })).toEqual(['repositories']);
    expect(fields({ repositories: [], rules: ISSUE_POLICY.rules })).toEqual(['repositories']);
    expect(fields({ repositories: ['a'] })).toEqual(['rules']);
    expect(fields({ repositories: ['a'], rules: [] })).toEqual(['rules']);
    expect(fields({ repositories: ['a'], rules: {} })).toEqual(['rules']);
    expect(fields(null)).toEqual(['']);
    expect(fields([ISSUE_POLICY])).toEqual(['']);
  });
});

describe('regexProblem', () => {
  it('accepts ordinary tag patterns', () => {
    for (const ok of ['^ci-', '^v\\d+\\.\\d+\\.\\d+$', '^(ci|pr)-\\d+$', '(ab)+', '^[(a+)]+$', '\\(a+\\)+', '(a{2})+', '^(?:rc|beta)\\d*$']) {
      expect(regexProblem(ok), ok).toBeUndefined();
    }
  });

  it('accepts nested repetition, which the linear-time engine runs safely (policy-redos.test.ts)', () => {
    for (const ok of ['(a+)+', '^(\\w*)*$', '(a{2,})+', '((ab)*c)+', '(x+x+)+y', '(a|b+){1,5}']) {
      expect(regexProblem(ok), ok).toBeUndefined();
    }
  });

  it('refuses empty and overlong patterns', () => {
    expect(regexProblem('')).toMatch(/empty/);
    expect(regexProblem('a'.repeat(300))).toMatch(/longer/);
  });
});

describe('repository patterns', () => {
  it('validates plain names with the distribution grammar and patterns by alphabet', () => {
    expect(repositoryPatternProblem('team/app')).toBeUndefined();
    expect(repositoryPatternProblem('team/*')).toBeUndefined();
    expect(repositoryPatternProblem('**')).toBeUndefined();
    expect(repositoryPatternProblem('Team/app')).toMatch(/not a valid repository name/);
    expect(repositoryPatternProblem('team/a+')).toMatch(/not a valid repository name/);
    expect(repositoryPatternProblem('team/*+')).toMatch(/contains "\+"/);
    expect(repositoryPatternProblem('team//*')).toMatch(/empty path component/);
    expect(repositoryPatternProblem('')).toMatch(/empty/);
  });

  it('matchesRepository checks every entry', () => {
    const parsed = parsePolicy({ ...ISSUE_POLICY, repositories: ['team/*', 'infra/base'] });
    if (!parsed.ok) throw new Error('invalid');
    const compiled = compilePolicy(parsed.policy);
    expect(matchesRepository(compiled, 'team/web')).toBe(true);
    expect(matchesRepository(compiled, 'infra/base')).toBe(true);
    expect(matchesRepository(compiled, 'infra/base2')).toBe(false);
  });
});

describe('parsePolicyText and policyError', () => {
  it('reports JSON syntax errors on the whole document', () => {
    const result = parsePolicyText('{"repositories": [');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]!.field).toBe('');
    expect(result.errors[0]!.message).toMatch(/not valid JSON/);
  });

  it('maps problems to a 400 UNSUPPORTED with every field in detail', () => {
    const error = policyError([
      { field: 'rules[0].match', message: 'is not a valid regular expression: x' },
      { field: 'now', message: 'bad' },
    ]);
    expect(isRegistryError(error, 'UNSUPPORTED')).toBe(true);
    expect(error.status).toBe(400);
    expect(error.message).toBe('invalid cleanup policy: rules[0].match is not a valid regular expression: x (and 1 more)');
    expect(error.toWire().detail).toEqual({
      errors: [
        { field: 'rules[0].match', message: 'is not a valid regular expression: x' },
        { field: 'now', message: 'bad' },
      ],
    });
  });
});

describe('parseCleanupRequest', () => {
  const digest = `sha256:${'a'.repeat(64)}`;

  it('separates expect from the policy', () => {
    const result = parseCleanupRequest({ ...ISSUE_POLICY, dryRun: false, expect: [{ repository: 'team/a', tag: 'ci-1', digest }] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.policy.dryRun).toBe(false);
    expect(result.request.expect).toEqual([{ repository: 'team/a', tag: 'ci-1', digest }]);
    expect(plannedKey(result.request.expect![0]!)).toContain('ci-1');
  });

  it('works without expect and reports bad entries by index', () => {
    const plain = parseCleanupRequest(ISSUE_POLICY);
    expect(plain.ok && plain.request.expect).toBeUndefined();
    const bad = parseCleanupRequest({ ...ISSUE_POLICY, rules: [], expect: [{ repository: 'a', tag: 't', digest: 'sha256:zz' }] });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => e.field)).toEqual(['expect[0]', 'rules']);
    expect(parseCleanupRequest('x').ok).toBe(false);
  });
});
