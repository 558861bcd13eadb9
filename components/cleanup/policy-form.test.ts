import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '@/lib/cleanup/policy-schema';
import type { CleanupPlan } from '@/lib/cleanup/types';
import { confirmationOk, confirmedDeletions, keepGroups, progressCounts, TYPED_CONFIRMATION_ABOVE } from './plan-model';
import { DEFAULT_POLICY_TEXT, fieldsFromPolicy, parseObject, policyWithFields, textWithFields } from './policy-form';

describe('policy form', () => {
  it('the default policy is valid', () => {
    expect(parsePolicyText(DEFAULT_POLICY_TEXT).ok).toBe(true);
  });

  it('reads the common fields from the JSON', () => {
    const fields = fieldsFromPolicy(parseObject(DEFAULT_POLICY_TEXT)!);
    expect(fields).toEqual({
      repositories: '**',
      rules: [{ match: '^ci-', keepNewest: '5', olderThanDays: '30' }],
      protect: '^latest$\n^v\\d+\\.\\d+\\.\\d+$',
    });
  });

  it('writes them back, keeping other fields and numbers as numbers', () => {
    const base = { repositories: ['a'], rules: [], now: '2026-01-01T00:00:00Z' };
    const next = policyWithFields(base, {
      repositories: 'team/*\n other/app ,x',
      rules: [
        { match: '^pr-', keepNewest: '0', olderThanDays: '' },
        { match: 'y', keepNewest: 'five', olderThanDays: '1.5' },
      ],
      protect: '',
    });
    expect(next).toEqual({
      repositories: ['team/*', 'other/app', 'x'],
      rules: [
        { match: '^pr-', keepNewest: 0 },
        // Not a number: kept as text so that validation names rules[1].keepNewest.
        { match: 'y', keepNewest: 'five', olderThanDays: 1.5 },
      ],
      now: '2026-01-01T00:00:00Z',
    });
    const result = parsePolicyText(JSON.stringify(next));
    expect(result.ok === false && result.errors.map((e) => e.field)).toEqual(['rules[1].keepNewest']);
  });

  it('round-trips through text', () => {
    const text = textWithFields(DEFAULT_POLICY_TEXT, fieldsFromPolicy(parseObject(DEFAULT_POLICY_TEXT)!));
    expect(JSON.parse(text)).toEqual(JSON.parse(DEFAULT_POLICY_TEXT));
    expect(parseObject('[1]')).toBeNull();
    expect(parseObject('{')).toBeNull();
  });
});

describe('plan model', () => {
  const D = `sha256:${'1'.repeat(64)}`;
  const plan = {
    delete: [{ repository: 'r', tag: 'a', digest: D, created: null, size: 1, rules: [0] }],
    keep: [
      { repository: 'r', tag: 'x', digest: D, created: null, reason: 'no-rule', detail: '' },
      { repository: 'r', tag: 'latest', digest: D, created: null, reason: 'protected', detail: '' },
      { repository: 'r', tag: 'y', digest: D, created: null, reason: 'no-rule', detail: '' },
    ],
  } as unknown as CleanupPlan;

  it('groups kept tags by reason, protected first', () => {
    expect(keepGroups(plan.keep).map((g) => [g.label, g.items.map((i) => i.tag)])).toEqual([
      ['Protected', ['latest']],
      ['Matches no rule', ['x', 'y']],
    ]);
  });

  it('confirms exactly the previewed deletions', () => {
    expect(confirmedDeletions(plan)).toEqual([{ repository: 'r', tag: 'a', digest: D }]);
  });

  it('asks to type the count above the threshold only', () => {
    expect(confirmationOk(TYPED_CONFIRMATION_ABOVE, '')).toBe(true);
    expect(confirmationOk(TYPED_CONFIRMATION_ABOVE + 1, '')).toBe(false);
    expect(confirmationOk(37, ' 37 ')).toBe(true);
    expect(confirmationOk(37, '36')).toBe(false);
  });

  it('counts progress', () => {
    expect(
      progressCounts([
        { repository: 'r', tag: 'a', digest: D, status: 'deleted' },
        { repository: 'r', tag: 'b', digest: D, status: 'failed' },
        { repository: 'r', tag: 'c', digest: D, status: 'skipped' },
      ]),
    ).toEqual({ done: 3, deleted: 1, skipped: 1, failed: 1 });
  });
});
