/**
 * Cleanup policies: what makes a tag regular expression or a repository pattern acceptable, the API error
 * for an invalid policy, and compilation of a valid one. The document itself (fields, defaults, messages)
 * is declared in `policy-schema.ts`, whose `parsePolicy` reports every problem by field and uses the checks
 * here. Pure (the UI validates as you type).
 *
 * An invalid policy is not an exception: `parsePolicy` returns `{ ok: false, errors }`, and the API turns
 * that into a 400 with every problem in `detail.errors` (see {@link policyError}, docs/cleanup.md).
 */
import { RegistryError } from '@/lib/oci/errors';
import { isValidRepository } from '@/lib/oci/reference';
import { compileRepositoryGlob } from '@/lib/text/glob';
import type { CleanupPolicy, CleanupRule, PolicyFieldError } from './types';

/** Longest regular expression accepted (tag names are at most 128 characters anyway). */
export const MAX_PATTERN_LENGTH = 256;
/** Most entries per list (repositories, rules, protect), to bound planning work. */
export const MAX_LIST_LENGTH = 100;
/** Largest `keepNewest`. */
export const MAX_KEEP_NEWEST = 1_000_000;

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

/** Compiles a validated policy (from `parsePolicy`, `policy-schema.ts`). */
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
