/**
 * The cleanup policy document, declared once with zod: its type, the unknown-field check, the defaults
 * (`protect: []`, `dryRun: true`) and the message of every field come from {@link policySchema}.
 * {@link parsePolicy} reports **every** problem by field (`rules[0].match`), never throwing: the UI validates as
 * you type with it and the API turns the list into a 400 (`policyError` in `policy.ts`).
 *
 * Regular expressions and repository patterns are judged by `regexProblem` and `repositoryPatternProblem`
 * (`policy.ts`), so the regex engine can change without touching this file. Pure (the browser uses it).
 */
import { z } from 'zod';
import { MAX_KEEP_NEWEST, MAX_LIST_LENGTH, regexProblem, repositoryPatternProblem } from './policy';
import type { CleanupPolicy, PolicyFieldError, PolicyParseResult } from './types';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** True for an RFC 3339 date-time with a time zone that JavaScript can read. */
export function isRfc3339(value: string): boolean {
  return RFC3339.test(value) && Number.isFinite(Date.parse(value));
}

/** Message for a missing field, or for one of the wrong type. */
function requiredOr(problem: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : problem);
}

/** A string judged by `problem` (undefined when fine). */
function checkedString(problem: (value: string) => string | undefined) {
  return z.string({ error: requiredOr('must be a string') }).check((ctx) => {
    const message = problem(ctx.value);
    if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });
}

/** A list of checked strings, at most {@link MAX_LIST_LENGTH}. */
function stringList(problem: (value: string) => string | undefined, what: { nonEmpty?: string } = {}) {
  let list = z.array(checkedString(problem), { error: requiredOr('must be an array of strings') });
  if (what.nonEmpty) list = list.min(1, { error: what.nonEmpty });
  return list.max(MAX_LIST_LENGTH, { error: `has more than ${MAX_LIST_LENGTH} entries` });
}

/** A strict object: every unknown field is reported, with the known ones. */
function strict<Shape extends z.ZodRawShape>(shape: Shape, problem: string) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `is not a known field (expected ${known})` : problem),
  });
}

const ruleSchema = strict(
  {
    match: checkedString(regexProblem),
    keepNewest: z
      .int({ error: `must be a whole number from 0 to ${MAX_KEEP_NEWEST}` })
      .min(0, { error: `must be a whole number from 0 to ${MAX_KEEP_NEWEST}` })
      .max(MAX_KEEP_NEWEST, { error: `must be a whole number from 0 to ${MAX_KEEP_NEWEST}` })
      .optional(),
    olderThanDays: z
      .number({ error: 'must be a number of days from 0 to 100000' })
      .min(0, { error: 'must be a number of days from 0 to 100000' })
      .max(100_000, { error: 'must be a number of days from 0 to 100000' })
      .optional(),
  },
  'must be an object like {"match": "^ci-", "keepNewest": 5, "olderThanDays": 30}',
).refine((rule) => rule.keepNewest !== undefined || rule.olderThanDays !== undefined, {
  // A bare {"match": …} would delete every matching tag; make that explicit with keepNewest: 0.
  error: 'needs keepNewest, olderThanDays or both (use "keepNewest": 0 to delete every matching tag)',
  // Also when another field of the rule is wrong, so that every problem shows at once.
  when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
});

export const policySchema = strict(
  {
    repositories: stringList(repositoryPatternProblem, { nonEmpty: 'must name at least one entry' }),
    rules: z
      .array(ruleSchema, { error: requiredOr('must be an array of rules') })
      .min(1, { error: 'must have at least one rule' })
      .max(MAX_LIST_LENGTH, { error: `has more than ${MAX_LIST_LENGTH} rules` }),
    protect: stringList(regexProblem).default([]),
    dryRun: z.boolean({ error: 'must be true or false' }).default(true),
    now: z
      .string({ error: 'must be an RFC 3339 date-time such as "2026-03-01T00:00:00Z"' })
      .refine(isRfc3339, { error: 'must be an RFC 3339 date-time such as "2026-03-01T00:00:00Z"' })
      .optional(),
  },
  'the policy must be a JSON object with repositories and rules',
);

/** `rules[0].match` for a path; '' for the document. */
function fieldOf(path: readonly PropertyKey[]): string {
  let field = '';
  for (const key of path) field += typeof key === 'number' ? `[${key}]` : field ? `.${String(key)}` : String(key);
  return field;
}

/** One field error per issue; an unknown-fields issue becomes one error per unknown field. */
function fieldErrors(issues: readonly z.core.$ZodIssue[]): PolicyFieldError[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldOf([...issue.path, key]), message: issue.message }))
      : [{ field: fieldOf(issue.path), message: issue.message }],
  );
}

/** Validates a policy document (already parsed JSON) and applies defaults. Reports every problem, by field. */
export function parsePolicy(input: unknown): PolicyParseResult {
  const result = policySchema.safeParse(input);
  if (!result.success) return { ok: false, errors: fieldErrors(result.error.issues) };
  const policy: CleanupPolicy = result.data;
  return { ok: true, policy };
}

/** Parses policy JSON text (the UI's editor, the CLI's file); a syntax error is reported on field "". */
export function parsePolicyText(text: string): PolicyParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [{ field: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  return parsePolicy(value);
}
