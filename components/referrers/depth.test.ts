import { describe, expect, it } from 'vitest';
import { pages } from '@/lib/routes';
import { DEFAULT_DEPTH, MAX_DEPTH, parseDepth } from './depth';

describe('parseDepth', () => {
  it('reads, clamps and defaults the depth', () => {
    expect(parseDepth('2')).toBe(2);
    expect(parseDepth('0')).toBe(1);
    expect(parseDepth('99')).toBe(MAX_DEPTH);
    expect(parseDepth('-1')).toBe(DEFAULT_DEPTH);
    expect(parseDepth('two')).toBe(DEFAULT_DEPTH);
    expect(parseDepth(null)).toBe(DEFAULT_DEPTH);
  });

  it('round-trips through the page URL', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const url = new URL(pages.referrers('demo', 'team/app', digest, { depth: 4 }), 'http://x');
    expect(url.pathname).toBe(`/s/demo/r/team/app/-/referrers/${digest}`);
    expect(parseDepth(url.searchParams.get('depth'))).toBe(4);
    expect(pages.referrers('demo', 'app', digest)).not.toContain('?');
  });
});
