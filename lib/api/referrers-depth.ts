/**
 * How deep the referrer graph walks (referrers of referrers…): one default and one limit for the page's
 * `?depth=`, its depth picker, the API's `depth` parameter and the docs (docs/api.md, docs/links.md; a
 * unit test checks that the docs state these numbers). Each level costs one referrers request per node.
 */

/** Levels walked when `depth` is not given. */
export const DEFAULT_REFERRERS_DEPTH = 2;
/** Most levels the API walks; larger values are refused (API) or lowered to it (page URL). */
export const MAX_REFERRERS_DEPTH = 5;
/** The depths the page offers: every level from 1 to the limit. */
export const REFERRERS_DEPTH_CHOICES: readonly number[] = Array.from({ length: MAX_REFERRERS_DEPTH }, (_, i) => i + 1);
