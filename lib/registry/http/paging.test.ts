import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { nextLink, parseLinks } from './paging';

const at = (link: string | string[], url = 'https://reg.example/v2/_catalog?n=2') => ({
  headers: { link },
  url: new URL(url),
});

describe('parseLinks', () => {
  it('parses distribution, zot and cue-labs spellings', () => {
    expect(parseLinks(['</v2/_catalog?last=a%2Fb&n=100>; rel="next"'])).toEqual([{ url: '/v2/_catalog?last=a%2Fb&n=100', rel: ['next'] }]);
    expect(parseLinks(['</v2/x/tags/list?n=2&last=b>;rel="next"'])).toEqual([{ url: '/v2/x/tags/list?n=2&last=b', rel: ['next'] }]);
    expect(parseLinks(['<https://reg.example/v2/_catalog?last=c>; rel=next'])).toEqual([{ url: 'https://reg.example/v2/_catalog?last=c', rel: ['next'] }]);
  });

  it('splits several links per value and keeps commas inside URLs and quoted params', () => {
    expect(parseLinks(['</a?x=1,2>; rel="prev", </b>; title="a, b"; rel="next last"'])).toEqual([
      { url: '/a?x=1,2', rel: ['prev'] },
      { url: '/b', rel: ['next', 'last'] },
    ]);
  });
});

describe('nextLink', () => {
  it('resolves relative and absolute links against the request URL', () => {
    expect(nextLink(at('</v2/_catalog?last=b&n=2>; rel="next"'), 'https://reg.example')?.href).toBe('https://reg.example/v2/_catalog?last=b&n=2');
    expect(nextLink(at('<?last=b>; rel="next"'), 'https://reg.example')?.href).toBe('https://reg.example/v2/_catalog?last=b');
    expect(nextLink(at(['</prev>; rel="prev"', '<https://reg.example/v2/_catalog?last=z>;rel="next"']), 'https://reg.example')?.href).toBe(
      'https://reg.example/v2/_catalog?last=z',
    );
    expect(nextLink(at('</v2/_catalog?last=b>; rel="prev"'), 'https://reg.example')).toBeUndefined();
    expect(nextLink({ headers: {}, url: new URL('https://reg.example/') }, 'https://reg.example')).toBeUndefined();
  });

  it('refuses a link to another origin', () => {
    let caught: unknown;
    try {
      nextLink(at('<https://evil.example/v2/_catalog?last=b>; rel="next"'), 'https://reg.example');
    } catch (error) {
      caught = error;
    }
    expect(isRegistryError(caught, 'UNKNOWN')).toBe(true);
    expect((caught as Error).message).toContain('another host');
  });
});
