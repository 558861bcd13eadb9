import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { checkSameOrigin, requestUser, requireDeleteUser } from './safety';

const req = (headers: Record<string, string>, method = 'DELETE') =>
  new Request('http://porthole.local:3000/api/x', { method, headers: { host: 'porthole.local:3000', ...headers } });
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
const config = { allowedOrigins: ['https://porthole.example.com'], allowedHosts: ['porthole.local:3000'] };
const loopbackOnly = { allowedOrigins: [], allowedHosts: [] };

describe('checkSameOrigin', () => {
  it('lets reads through whatever their origin and host', () => {
    expect(() => checkSameOrigin(req({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', host: 'evil.example' }, 'GET'), config)).not.toThrow();
  });

  it('refuses cross-site and foreign-origin changes with DENIED', () => {
    refused(() => checkSameOrigin(req({ 'sec-fetch-site': 'cross-site' }), config), 'DENIED');
    refused(() => checkSameOrigin(req({ origin: 'https://evil.example' }), config), 'DENIED');
    refused(() => checkSameOrigin(req({ origin: 'null' }), config), 'DENIED');
    refused(() => checkSameOrigin(req({ origin: 'http://porthole.local:3001' }), config), 'DENIED');
  });

  it('refuses a DNS-rebinding page: Origin equals Host, but the host is not one Porthole is reached at', () => {
    const rebinding = { host: 'evil.example:3391', origin: 'http://evil.example:3391', 'sec-fetch-site': 'same-origin' };
    refused(() => checkSameOrigin(req(rebinding), loopbackOnly), 'DENIED');
    refused(() => checkSameOrigin(req(rebinding), config), 'DENIED');
    refused(() => checkSameOrigin(req({ host: 'evil.example:3391' }), loopbackOnly), 'DENIED'); // curl-like, no Origin
    // X-Forwarded-Host is anyone's to send: it never makes a host allowed.
    refused(() => checkSameOrigin(req({ ...rebinding, 'x-forwarded-host': 'localhost:3000' }), loopbackOnly), 'DENIED');
    refused(() => checkSameOrigin(req({ host: 'porthole.local:3000' }), loopbackOnly), 'DENIED');
  });

  it('allows loopback names on any port by default', () => {
    for (const host of ['localhost:3391', '127.0.0.1:8080', '[::1]:3000', 'localhost']) {
      expect(() => checkSameOrigin(req({ host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' }), loopbackOnly)).not.toThrow();
    }
    // A loopback Host does not make a foreign Origin acceptable.
    refused(() => checkSameOrigin(req({ host: 'localhost:3391', origin: 'http://evil.example:3391' }), loopbackOnly), 'DENIED');
  });

  it('allows the host of publicUrl (default port implied) and allowedHosts entries', () => {
    const proxied = { allowedOrigins: [], allowedHosts: ['10.0.0.5'], publicUrl: 'https://porthole.example.com' };
    expect(() => checkSameOrigin(req({ host: 'porthole.example.com', origin: 'https://porthole.example.com' }), proxied)).not.toThrow();
    expect(() => checkSameOrigin(req({ host: '10.0.0.5:3000', origin: 'http://10.0.0.5:3000' }), proxied)).not.toThrow();
    // A proxy that rewrites Host to the upstream address: Host is loopback, Origin the public one.
    expect(() => checkSameOrigin(req({ host: '127.0.0.1:3000', origin: 'https://porthole.example.com' }), proxied)).not.toThrow();
    refused(() => checkSameOrigin(req({ host: 'porthole.example.com:8443' }), proxied), 'DENIED');
  });

  it('accepts same-origin, configured origins, and clients without Origin', () => {
    expect(() => checkSameOrigin(req({ origin: 'http://porthole.local:3000', 'sec-fetch-site': 'same-origin' }), config)).not.toThrow();
    expect(() => checkSameOrigin(req({ origin: 'https://porthole.example.com' }), config)).not.toThrow();
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
