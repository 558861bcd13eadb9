/**
 * Wrappers that restrict a registry. Each takes and returns a `Registry`, is built with `fromFuncs` and
 * forwards an explicit list of methods, so any method not forwarded fails closed with UNSUPPORTED.
 * - `readOnly(r)`: reads and lists pass, writes and deletes are DENIED.
 * - `select(r, {include, exclude})`: only matching repositories are visible (hidden ones read as NAME_UNKNOWN).
 */
export { readOnly } from './read-only';
export { repositoryMatcher, select, type SelectOptions } from './select';
