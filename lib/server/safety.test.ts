import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { checkSameOrigin, requestUser, requireDeleteUser } from './safety';

const req = (headers: Record<string, string>, method = 'DELETE') => new Request('http://porthole.local:3000/api/x', { method, headers });
const refused = (run: () => unknown, code: string) => {
  try {
    run();
  } catch (error) {
    expect(isRegistryError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    return;
  }
  throw new Error('expected a refusal');
};
const config = { allowedOrigins: ['https://porthole.example.com'] };

describe('checkSameOrigin', () => {
  it('lets reads through whatever their origin', () => {
    expect(() => checkSameOrigin(req({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 'GET'), config)).not.toThrow();
  });

  it('refuses cross-site and foreign-origin changes with DENIED', () => {
    refused(() => checkSameOrigin(req({ 'sec-fetch-site': 'cross-site' }), config), 'DENIED');
    refused(() => checkSameOrigin(req({ origin: 'https://evil.example' }), config), 'DENIED');
    refused(() => checkSameOrigin(req({ origin: 'null' }), config), 'DENIED');
    refused(() => checkSameOrigin(req({ origin: 'http://porthole.local:3001' }), config), 'DENIED');
  });

  it('accepts same-origin, configured and proxied origins, and clients without Origin', () => {
    expect(() => checkSameOrigin(req({ origin: 'http://porthole.local:3000', 'sec-fetch-site': 'same-origin' }), config)).not.toThrow();
    expect(() => checkSameOrigin(req({ origin: 'https://porthole.example.com' }), config)).not.toThrow();
    expect(() => checkSameOrigin(req({ origin: 'https://public.example', 'x-forwarded-host': 'public.example', 'x-forwarded-proto': 'https' }), config)).not.toThrow();
    expect(() => checkSameOrigin(req({}), config)).not.toThrow();
  });
});

describe('app auth', () => {
  const auth = { tokens: [{ name: 'ci', token: 'ci-token-0123456789' }], proxyUserHeader: 'x-forwarded-user' };

  it('finds the user from a bearer token or the proxy header', () => {
    expect(requestUser(req({ authorization: 'Bearer ci-token-0123456789' }), auth)).toBe('ci');
    expect(requestUser(req({ authorization: 'Bearer wrong-token-0123456789' }), auth)).toBeUndefined();
    expect(requestUser(req({ 'x-forwarded-user': 'alice' }), auth)).toBe('alice');
    expect(requestUser(req({ 'x-forwarded-user': 'alice' }), { tokens: auth.tokens })).toBeUndefined();
  });

  it('requires a user for deletes only when auth is configured', () => {
    expect(requireDeleteUser(req({}), {})).toBe('anonymous');
    refused(() => requireDeleteUser(req({}), { auth }), 'UNAUTHORIZED');
    expect(requireDeleteUser(req({ authorization: 'bearer ci-token-0123456789' }), { auth })).toBe('ci');
  });
});
