/**
 * Cleanup patterns come from users and run on the server: they must match in linear time (issue 10 item 4).
 * With V8's backtracking RegExp each case below runs for longer than the age of the universe, so this
 * file does not finish at all without the linear-time engine. No timing is asserted: finishing is the proof.
 */
import { describe, expect, it } from 'vitest';
import { compileLinearRegex } from './linear-regex';
import { planRepository } from './planner';
import { compilePolicy, compileRepositoryPattern, matchesRepository } from './policy';
import { parsePolicy } from './policy-schema';
import type { PlanTagInput } from './types';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const HEX64 = '0123456789abcdef'.repeat(4);

const tag = (name: string, i: number): PlanTagInput => ({
  name,
  digest: `sha256:${i.toString(16).padStart(64, '0')}`,
  created: '2026-01-01T00:00:00Z',
  size: 1,
  kind: 'tag',
});

describe('pathological cleanup patterns', () => {
  it('plans rules that backtrack exponentially in RegExp against 128-character tags', () => {
    const parsed = parsePolicy({
      repositories: ['probe/r'],
      rules: [
        { match: '^(a|a)*$', keepNewest: 0 },
        { match: '^sha256-(\\w|[0-9a-f])*$', keepNewest: 0 },
      ],
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const names = [`${'a'.repeat(127)}!`, `sha256-${HEX64}${'f'.repeat(57)}.`, `sha256-${HEX64}.sig`, 'a'.repeat(128)];
    const plan = planRepository(compilePolicy(parsed.policy), { repository: 'probe/r', tags: names.map(tag) }, NOW);
    // The answers a backtracking engine would give, eventually: only the all-`a` tag matches a rule.
    expect(plan.delete.map((d) => d.tag)).toEqual(['a'.repeat(128)]);
    const reasons = new Map(plan.keep.map((k) => [k.tag, k.reason]));
    expect(names.slice(0, 3).map((n) => reasons.get(n))).toEqual(['no-rule', 'no-rule', 'no-rule']);
  });

  it('matches long inputs with nested repetition (100 000 characters, 8 patterns)', () => {
    const long = 'a'.repeat(100_000);
    for (const source of ['^(a|a)*$', '^(a+)+$', '^(\\w*)*$', '(x+x+)+y', '^(a|aa)+$', '^(.*a){20}$', '^(a?){30}a{30}$', '^sha256-(\\w|[0-9a-f])*$']) {
      const re = compileLinearRegex(source);
      expect(re.test(`${long}!`), source).toBe(false);
    }
    expect(compileLinearRegex('^(a|a)*$').test(long)).toBe(true);
  });

  it('matches repository patterns with many ** without polynomial blow-up', () => {
    const pattern = '**a'.repeat(80).slice(0, 240);
    const re = compileRepositoryPattern(pattern);
    expect(re.test(`${'a/'.repeat(100)}b`)).toBe(false);
    const parsed = parsePolicy({ repositories: [pattern], rules: [{ match: '.*', keepNewest: 1 }] });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(matchesRepository(compilePolicy(parsed.policy), 'a'.repeat(80))).toBe(true);
  });
});

describe('patterns the linear-time engine cannot run', () => {
  it('are refused naming the field and the feature', () => {
    const parsed = parsePolicy({
      repositories: ['probe/r'],
      rules: [
        { match: '^(ci)-\\1$', keepNewest: 0 },
        { match: '^v(?!0)', keepNewest: 0 },
      ],
      protect: ['(?<=x)y', '^\\u0041'],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.field).sort()).toEqual(['protect[0]', 'protect[1]', 'rules[0].match', 'rules[1].match']);
    const message = (field: string) => parsed.errors.find((e) => e.field === field)!.message;
    expect(message('rules[0].match')).toMatch(/backreference/);
    expect(message('rules[1].match')).toMatch(/lookaround/);
    expect(message('protect[0]')).toMatch(/lookaround/);
    expect(message('protect[1]')).toMatch(/not a valid regular expression: invalid escape .*\(RE2 syntax/);
  });
});
