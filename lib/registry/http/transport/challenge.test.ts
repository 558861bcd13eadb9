import { describe, expect, it } from 'vitest';
import { parseChallenges } from './challenge';

describe('parseChallenges', () => {
  it('parses distribution token challenges with quoted, space-separated scopes', () => {
    expect(
      parseChallenges('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push repository:c:pull"'),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull,push repository:c:pull' },
      },
    ]);
  });

  it('splits several challenges joined in one header value (Headers.get joins with ", ")', () => {
    const joined = 'Basic realm="basic-realm", Bearer realm="https://auth/token",service="svc",error="insufficient_scope", Negotiate';
    expect(parseChallenges(joined)).toEqual([
      { scheme: 'basic', params: { realm: 'basic-realm' } },
      { scheme: 'bearer', params: { realm: 'https://auth/token', service: 'svc', error: 'insufficient_scope' } },
      { scheme: 'negotiate', params: {} },
    ]);
  });

  it('accepts several header lines, lower-cases schemes and names, and keeps commas and escapes inside quotes', () => {
    expect(parseChallenges(['BASIC Realm="a, b \\"quoted\\""', 'bearer realm=https://x/token , service = svc'])).toEqual([
      { scheme: 'basic', params: { realm: 'a, b "quoted"' } },
      { scheme: 'bearer', params: { realm: 'https://x/token', service: 'svc' } },
    ]);
  });

  it('keeps token68 credentials whole and survives garbage', () => {
    expect(parseChallenges('Negotiate abc123==, Basic realm="r"')).toEqual([
      { scheme: 'negotiate', params: { token68: 'abc123==' } },
      { scheme: 'basic', params: { realm: 'r' } },
    ]);
    expect(parseChallenges('')).toEqual([]);
    expect(parseChallenges('"unterminated')).toEqual([]);
    expect(parseChallenges('Bearer realm="unterminated')).toEqual([{ scheme: 'bearer', params: { realm: 'unterminated' } }]);
  });
});
