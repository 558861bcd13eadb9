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
import { repositoryGlobSource } from '@/lib/text/glob';
import { compileLinearRegex, type LinearRegex } from './linear-regex';
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
 * Why a regular expression is refused, or undefined when it is fine. Patterns are compiled with a
 * linear-time engine (./linear-regex.ts), so no pattern can backtrack exponentially; one using syntax that
 * engine cannot run (backreferences, lookaround) is refused here, naming the feature.
 */
export function regexProblem(source: string): string | undefined {
  if (source === '') return 'must not be empty (use ".*" to match every tag)';
  if (source.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    compileLinearRegex(source);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
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

/**
 * Compiles a repository pattern (the one pattern language, `lib/text/glob.ts`) with the linear-time engine:
 * policies are user input, and `**a**a**a…` would make a backtracking `.*a.*a…` polynomial of high degree.
 */
export function compileRepositoryPattern(pattern: string): LinearRegex {
  return compileLinearRegex(repositoryGlobSource(pattern));
}

/** A policy ready to evaluate. */
export interface CompiledPolicy {
  policy: CleanupPolicy;
  repositories: LinearRegex[];
  rules: { rule: CleanupRule; regex: LinearRegex }[];
  protect: LinearRegex[];
}

/** Compiles a validated policy (from `parsePolicy`, `policy-schema.ts`). */
export function compilePolicy(policy: CleanupPolicy): CompiledPolicy {
  return {
    policy,
    repositories: policy.repositories.map(compileRepositoryPattern),
    rules: policy.rules.map((rule) => ({ rule, regex: compileLinearRegex(rule.match) })),
    protect: policy.protect.map(compileLinearRegex),
  };
}

/** True when `repository` matches one of the policy's repository entries. */
export function matchesRepository(compiled: CompiledPolicy, repository: string): boolean {
  return compiled.repositories.some((re) => re.test(repository));
}
