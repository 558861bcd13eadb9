import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEPTH_CHOICES, parseDepth } from '@/components/referrers/depth';
import { isRegistryError } from '@/lib/oci/errors';
import { referrersDepth } from '@/lib/server/validate';
import { DEFAULT_REFERRERS_DEPTH, MAX_REFERRERS_DEPTH } from './referrers-depth';

const doc = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
const api = (depth?: string) => referrersDepth(new URLSearchParams(depth === undefined ? '' : { depth }));

describe('one referrer depth default and limit, everywhere', () => {
  it('the page defaults to what the API defaults to', () => {
    expect(parseDepth(null)).toBe(api());
    expect(api()).toBe(DEFAULT_REFERRERS_DEPTH);
  });

  it('the page offers only depths the API accepts, up to the limit', () => {
    for (const depth of DEPTH_CHOICES) expect(api(String(depth))).toBe(depth);
    expect(Math.max(...DEPTH_CHOICES)).toBe(MAX_REFERRERS_DEPTH);
    // A larger `?depth=` in a page URL is lowered to a depth the API accepts…
    expect(api(String(parseDepth('99')))).toBe(MAX_REFERRERS_DEPTH);
    // …and the API refuses it outright.
    let refused: unknown;
    try {
      api(String(MAX_REFERRERS_DEPTH + 1));
    } catch (error) {
      refused = error;
    }
    expect(isRegistryError(refused) && refused.status).toBe(400);
  });

  it('the docs state the same numbers', () => {
    expect(doc('api.md')).toContain(`\`depth\` levels deep (default ${DEFAULT_REFERRERS_DEPTH}, 1–${MAX_REFERRERS_DEPTH}`);
    expect(doc('links.md')).toContain(`referrers-of-referrers to walk (default ${DEFAULT_REFERRERS_DEPTH}, 1–${MAX_REFERRERS_DEPTH}`);
  });
});
