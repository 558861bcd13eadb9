/**
 * Wrappers that restrict a registry. Each takes and returns a `Registry`, is built with `fromFuncs` and
 * forwards an explicit list of methods, so any method not forwarded fails closed with UNSUPPORTED.
 * - `readOnly(r)`: reads and lists pass, writes and deletes are DENIED; `noDeletes(r)`: only deletes are DENIED.
 * - `select(r, {include, exclude})`: only matching repositories are visible (hidden ones read as NAME_UNKNOWN).
 * - `unify([a, b])`: several registries seen as one (reads in order, lists merged, writes to all).
 */
export { noDeletes, readOnly } from './read-only';
export { unify } from './unify';
export { repositoryMatcher, select, type SelectOptions } from './select';
