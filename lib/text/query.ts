/**
 * The one meaning of the `q` filter, used by the catalog and tags pages and by the API
 * (`/repositories?q=`, `/-/tags?q=`), so a link with `q` shows the same rows in the page and from the API.
 * Pure.
 *
 * - Whitespace-separated words must all occur in the name, case-insensitively (`team api`).
 * - `*` inside a word matches any run of characters, `/` included (`team/*-api`).
 * - For tags, a query of six or more hex characters (optionally `sha256:`/`sha512:` first) also matches the
 *   digest the tag points at, when the row carries it (the API's `details=false` rows carry none).
 * - An empty or blank query matches everything.
 */

/** A predicate for names under `query` (words, `*`). */
export function nameMatcher(query: string): (name: string) => boolean {
  const terms = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return () => true;
  const tests = terms.map((term) => {
    if (!term.includes('*')) return (name: string) => name.includes(term);
    const pattern = new RegExp(term.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
    return (name: string) => pattern.test(name);
  });
  return (name) => {
    const lower = name.toLowerCase();
    return tests.every((test) => test(lower));
  };
}

/** What the tag filter reads of a row. */
export interface MatchableTag {
  name: string;
  /** Absent or null when not known. */
  digest?: string | null;
}

/** A predicate for tag rows under `query`: the name (words, `*`) or, for 6+ hex characters, the digest. */
export function tagMatcher(query: string): (tag: MatchableTag) => boolean {
  const trimmed = query.trim().toLowerCase();
  const byName = nameMatcher(trimmed);
  const digestPart = /^(sha256:|sha512:)?[a-f0-9]{6,}$/.test(trimmed) ? trimmed : undefined;
  return (tag) => byName(tag.name) || (digestPart !== undefined && typeof tag.digest === 'string' && tag.digest.includes(digestPart));
}
