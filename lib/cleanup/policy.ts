/**
 * Cleanup policies: parsing with every problem reported by field, defaults, and compilation of the
 * repository patterns and tag regular expressions. Pure (the UI validates as you type with it).
 *
 * An invalid policy is not an exception: {@link parsePolicy} returns `{ ok: false, errors }`, and the API
 * turns that into a 400 with every problem in `detail.errors` (see {@link policyError}, docs/cleanup.md).
 */
import { RegistryError } from '@/lib/oci/errors';
import { isValidRepository } from '@/lib/oci/reference';
import { compileRepositoryGlob } from '@/lib/text/glob';
import type { CleanupPolicy, CleanupRule, PolicyFieldError, PolicyParseResult } from './types';

/** Longest regular expression accepted (tag names are at most 128 characters anyway). */
export const MAX_PATTERN_LENGTH = 256;
/** Most entries per list (repositories, rules, protect), to bound planning work. */
export const MAX_LIST_LENGTH = 100;
/** Largest `keepNewest`. */
export const MAX_KEEP_NEWEST = 1_000_000;

const POLICY_FIELDS = ['repositories', 'rules', 'protect', 'dryRun', 'now'] as const;
const RULE_FIELDS = ['match', 'keepNewest', 'olderThanDays'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/**
 * Why a regular expression is refused, or undefined when it is fine. Besides syntax, refuses a quantified
 * group that itself contains a repetition (`(a+)+`, `(\w*)*`): the classic shape of catastrophic
 * backtracking, which would let one policy stall the server. A heuristic, documented in docs/cleanup.md.
 */
export function regexProblem(source: string): string | undefined {
  if (source === '') return 'must not be empty (use ".*" to match every tag)';
  if (source.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(source);
  } catch (error) {
    // V8's message names the problem ("Unterminated group", "Nothing to repeat") after the pattern.
    const text = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return `is not a valid regular expression: ${text}`;
  }
  if (hasNestedQuantifier(source)) {
    return 'repeats a group that itself repeats (like "(a+)+"), which can take exponential time; simplify it';
  }
  return undefined;
}

/** Length of a varying repetition at `i` (`*`, `+`, `{n,}`, `{n,m}` with m > n), 0 when there is none. */
function repeatingQuantifier(source: string, i: number): number {
  const c = source[i];
  if (c === '*' || c === '+') return 1;
  if (c !== '{') return 0;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
  // `{n}` is a fixed count: it cannot backtrack into a different split.
  if (!m || m[2] === undefined) return 0;
  const max = m[3] === '' ? Infinity : Number(m[3]);
  return max > Number(m[1]) ? m[0].length : 0;
}

function hasNestedQuantifier(source: string): boolean {
  // One frame per open group: does something inside it repeat?
  const stack: boolean[] = [false];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      // Skip the character class; `]` right after `[` or `[^` is a literal.
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') {
        if (source[i] === '\\') i++;
        i++;
      }
    } else if (c === '(') {
      stack.push(false);
    } else if (c === ')') {
      const inner = stack.pop() ?? false;
      const repeats = repeatingQuantifier(source, i + 1) > 0;
      if (inner && repeats) return true;
      if (stack.length === 0) stack.push(false);
      stack[stack.length - 1] ||= inner || repeats;
    } else if (repeatingQuantifier(source, i) > 0) {
      stack[stack.length - 1] = true;
    }
  }
  return false;
}

/** True when a repository entry is a pattern (`*`, `?`) rather than a plain name. */
export function isRepositoryPattern(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** Why a repository entry is refused, or undefined. */
export function repositoryPatternProblem(pattern: string): string | undefined {
  if (pattern === '') return 'must not be empty (use "**" for every repository)';
  if (pattern.length > 255) return 'is longer than 255 characters';
  if (!isRepositoryPattern(pattern)) {
    return isValidRepository(pattern)
      ? undefined
      : `${quote(pattern)} is not a valid repository name (lower-case letters, digits, ".", "_", "-" and "/" between components)`;
  }
  const bad = /[^a-z0-9._\-/*?]/.exec(pattern);
  if (bad) return `${quote(pattern)} contains ${quote(bad[0])}: only lower-case letters, digits, ".", "_", "-", "/", "*" and "?" are allowed`;
  if (pattern.startsWith('/') || pattern.endsWith('/') || pattern.includes('//')) {
    return `${quote(pattern)} has an empty path component`;
  }
  return undefined;
}

function checkStringList(
  value: unknown,
  field: string,
  problem: (item: string) => string | undefined,
  errors: PolicyFieldError[],
  { required }: { required: boolean },
): string[] {
  if (value === undefined) {
    if (required) errors.push({ field, message: 'is required' });
    return [];
  }
  if (!Array.isArray(value)) {
    errors.push({ field, message: 'must be an array of strings' });
    return [];
  }
  if (required && value.length === 0) errors.push({ field, message: 'must name at least one entry' });
  if (value.length > MAX_LIST_LENGTH) errors.push({ field, message: `has more than ${MAX_LIST_LENGTH} entries` });
  const out: string[] = [];
  value.forEach((item, i) => {
    if (typeof item !== 'string') {
      errors.push({ field: `${field}[${i}]`, message: 'must be a string' });
      return;
    }
    const p = problem(item);
    if (p) errors.push({ field: `${field}[${i}]`, message: p });
    else out.push(item);
  });
  return out;
}

function unknownFields(value: Record<string, unknown>, known: readonly string[], prefix: string, errors: PolicyFieldError[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      errors.push({ field: `${prefix}${key}`, message: `is not a known field (expected ${known.join(', ')})` });
    }
  }
}

function parseRule(value: unknown, index: number, errors: PolicyFieldError[]): CleanupRule | undefined {
  const field = `rules[${index}]`;
  if (!isPlainObject(value)) {
    errors.push({ field, message: 'must be an object like {"match": "^ci-", "keepNewest": 5, "olderThanDays": 30}' });
    return undefined;
  }
  const before = errors.length;
  unknownFields(value, RULE_FIELDS, `${field}.`, errors);
  const rule: CleanupRule = { match: '' };
  if (typeof value.match !== 'string') {
    errors.push({ field: `${field}.match`, message: value.match === undefined ? 'is required' : 'must be a string' });
  } else {
    const p = regexProblem(value.match);
    if (p) errors.push({ field: `${field}.match`, message: p });
    rule.match = value.match;
  }
  if (value.keepNewest !== undefined) {
    const n = value.keepNewest;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_KEEP_NEWEST) {
      errors.push({ field: `${field}.keepNewest`, message: `must be a whole number from 0 to ${MAX_KEEP_NEWEST}` });
    } else {
      rule.keepNewest = n;
    }
  }
  if (value.olderThanDays !== undefined) {
    const d = value.olderThanDays;
    if (typeof d !== 'number' || !Number.isFinite(d) || d < 0 || d > 100_000) {
      errors.push({ field: `${field}.olderThanDays`, message: 'must be a number of days from 0 to 100000' });
    } else {
      rule.olderThanDays = d;
    }
  }
  // A bare {"match": …} would delete every matching tag; make that explicit with keepNewest: 0.
  if (value.keepNewest === undefined && value.olderThanDays === undefined) {
    errors.push({ field, message: 'needs keepNewest, olderThanDays or both (use "keepNewest": 0 to delete every matching tag)' });
  }
  return errors.length === before ? rule : undefined;
}

/** Validates a policy document (already parsed JSON) and applies defaults. Reports every problem, by field. */
export function parsePolicy(input: unknown): PolicyParseResult {
  const errors: PolicyFieldError[] = [];
  if (!isPlainObject(input)) {
    return { ok: false, errors: [{ field: '', message: 'the policy must be a JSON object with repositories and rules' }] };
  }
  unknownFields(input, POLICY_FIELDS, '', errors);
  const repositories = checkStringList(input.repositories, 'repositories', repositoryPatternProblem, errors, { required: true });
  const protect = checkStringList(input.protect, 'protect', regexProblem, errors, { required: false });

  const rules: CleanupRule[] = [];
  if (input.rules === undefined) errors.push({ field: 'rules', message: 'is required' });
  else if (!Array.isArray(input.rules)) errors.push({ field: 'rules', message: 'must be an array of rules' });
  else {
    if (input.rules.length === 0) errors.push({ field: 'rules', message: 'must have at least one rule' });
    if (input.rules.length > MAX_LIST_LENGTH) errors.push({ field: 'rules', message: `has more than ${MAX_LIST_LENGTH} rules` });
    input.rules.forEach((r, i) => {
      const rule = parseRule(r, i, errors);
      if (rule) rules.push(rule);
    });
  }

  let dryRun = true;
  if (input.dryRun !== undefined) {
    if (typeof input.dryRun !== 'boolean') errors.push({ field: 'dryRun', message: 'must be true or false' });
    else dryRun = input.dryRun;
  }

  let now: string | undefined;
  if (input.now !== undefined) {
    if (typeof input.now !== 'string' || !isRfc3339(input.now)) {
      errors.push({ field: 'now', message: 'must be an RFC 3339 date-time such as "2026-03-01T00:00:00Z"' });
    } else {
      now = input.now;
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  const policy: CleanupPolicy = { repositories, rules, protect, dryRun };
  if (now !== undefined) policy.now = now;
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

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** True for an RFC 3339 date-time with a time zone that JavaScript can read. */
export function isRfc3339(value: string): boolean {
  return RFC3339.test(value) && Number.isFinite(Date.parse(value));
}

/**
 * The error the API answers an invalid policy with: status 400, code `UNSUPPORTED` (the API's code for bad
 * input that has no registry error code of its own, as for bad query parameters), every problem in
 * `detail.errors` as `{field, message}`.
 */
export function policyError(errors: readonly PolicyFieldError[]): RegistryError {
  const first = errors[0];
  const head = first ? `${first.field || 'policy'} ${first.message}` : 'invalid';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new RegistryError('UNSUPPORTED', `invalid cleanup policy: ${head}${more}`, {
    status: 400,
    detail: { errors: [...errors] },
  });
}

/** A policy ready to evaluate. */
export interface CompiledPolicy {
  policy: CleanupPolicy;
  repositories: RegExp[];
  rules: { rule: CleanupRule; regex: RegExp }[];
  protect: RegExp[];
}

/** Compiles a validated policy (from {@link parsePolicy}). */
export function compilePolicy(policy: CleanupPolicy): CompiledPolicy {
  return {
    policy,
    repositories: policy.repositories.map(compileRepositoryGlob),
    rules: policy.rules.map((rule) => ({ rule, regex: new RegExp(rule.match) })),
    protect: policy.protect.map((p) => new RegExp(p)),
  };
}

/** True when `repository` matches one of the policy's repository entries. */
export function matchesRepository(compiled: CompiledPolicy, repository: string): boolean {
  return compiled.repositories.some((re) => re.test(repository));
}
