/**
 * Regular expressions that users send (cleanup tag rules, protections, repository patterns) are compiled
 * with RE2JS, a pure-JavaScript port of RE2: matching takes time linear in the input, whatever the pattern,
 * so no policy can stall the server the way `^(a|a)*$` or `^sha256-(\w|[0-9a-f])*$` stall V8's
 * backtracking `RegExp`. The price is RE2's syntax: no backreferences (`\1`) and no lookaround
 * (`(?=`, `(?!`, `(?<=`, `(?<!`); such a pattern is refused with a message saying so (docs/cleanup.md).
 *
 * Pure (no Node imports): the cleanup page validates with the same engine as the server.
 */
import { RE2JS } from 're2js';

/** A compiled user pattern: `test` searches (unanchored, like `RegExp#test`) in linear time. */
export interface LinearRegex {
  readonly source: string;
  test(input: string): boolean;
}

/**
 * Largest compiled program accepted. Counted repeats grow the program (`[a-z]{1,1000}` is 2 000 steps;
 * RE2 itself refuses nested counts above 1 000); matching stays linear in the input but its cost scales with
 * the program, so a cap keeps one pattern's work per tag small. `^(ci|pr)-\d+$` compiles to 14 steps.
 */
export const MAX_PROGRAM_SIZE = 5_000;

/** Compiles `source`; throws an Error whose message says why the pattern cannot run. */
export function compileLinearRegex(source: string): LinearRegex {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (error) {
    throw new Error(explain(source, (error as Error).message));
  }
  if (compiled.programSize() > MAX_PROGRAM_SIZE) {
    throw new Error(`is too large once compiled (${compiled.programSize()} steps, at most ${MAX_PROGRAM_SIZE}): use fewer or smaller counted repeats`);
  }
  return { source, test: (input) => compiled.test(input) };
}

/** The compile error, for people: names the unsupported feature when that is the cause. */
function explain(source: string, message: string): string {
  const detail = message.replace(/^error parsing regexp: /, '');
  if (/\(\?<?[=!]/.test(source)) {
    return `uses lookaround ("(?=", "(?!", "(?<=", "(?<!"), which the linear-time regex engine does not support: ${detail}`;
  }
  if (/\\([1-9]|k<)/.test(source)) {
    return `uses a backreference ("\\1"), which the linear-time regex engine does not support: ${detail}`;
  }
  return `is not a valid regular expression: ${detail} (RE2 syntax, see docs/cleanup.md)`;
}
