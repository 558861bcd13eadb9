/**
 * Authentication through the request pipeline: several challenges, tokens per scope and their cache, insufficient scope, private realms, Basic after the challenge.
 * Unit test of the HTTP backend through undici's MockAgent (no sockets, `disableNetConnect`), for what a real
 * distribution 2.8.2 cannot show (split out of the former http.test.ts; shared setup: testing/mock-session.ts).
 * Timeouts, dropped connections and concurrency against a real loopback socket are in transport/transport.test.ts.
 */
import type { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { collect } from '@/lib/registry/iter';
import { json, REGISTRY, route, sha256 } from '../testing/mock-registry';
import { mockSession, REPO, rejection } from '../testing/mock-session';

let agent: MockAgent;
const open = mockSession((a) => (agent = a));

describe('auth', () => {
  const challenge = (scope: string, extra = '') =>
    `Basic realm="fallback", Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="${scope}"${extra}`;

  /** A token-auth registry: tokens are `token-<n>` and grant what was asked, except `delete`. */
  function tokenRegistry() {
    const issued = new Map<string, string[]>();
    const tokenRequests = route(agent, 'https://auth.example.com', (request) => {
      const url = new URL(request.path, 'https://auth.example.com');
      const token = `token-${issued.size + 1}`;
      issued.set(token, url.searchParams.getAll('scope'));
      return json({ access_token: token, expires_in: 300 });
    });
    const registryRequests = route(agent, REGISTRY, (request) => {
      const needed = request.path === '/v2/_catalog?n=1000' ? 'registry:catalog:*' : request.method === 'DELETE' ? `repository:${REPO}:delete` : `repository:${REPO}:pull`;
      const token = request.headers.authorization?.replace(/^Bearer /, '');
      const granted = token ? issued.get(token) : undefined;
      if (!granted) return { statusCode: 401, data: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', responseOptions: { headers: { 'www-authenticate': challenge(needed) } } };
      if (!granted.includes(needed) || needed.endsWith(':delete')) {
        return { statusCode: 401, responseOptions: { headers: { 'www-authenticate': challenge(needed, ',error="insufficient_scope"') } } };
      }
      if (request.path.startsWith('/v2/_catalog')) return json({ repositories: [REPO] });
      return json({ name: REPO, tags: ['v1'] });
    });
    return { tokenRequests, registryRequests };
  }

  it('parses several challenges in one header, gets a token per scope and caches it', async () => {
    const { tokenRequests, registryRequests } = tokenRegistry();
    const r = open({ credentials: { username: 'alice', password: 'wonderland' } });
    expect(await collect(r.listTags(REPO))).toEqual(['v1']);
    expect(await collect(r.listTags(REPO))).toEqual(['v1']);
    expect(tokenRequests).toHaveLength(1);
    const first = new URL(tokenRequests[0]!.path, 'https://auth.example.com');
    expect(first.searchParams.get('service')).toBe('registry.example.com');
    expect(first.searchParams.getAll('scope')).toEqual([`repository:${REPO}:pull`]);
    expect(tokenRequests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('alice:wonderland').toString('base64')}`);
    // The catalog needs another scope: one more token, then cached too.
    expect(await collect(r.listRepositories())).toEqual([REPO]);
    expect(await collect(r.listRepositories())).toEqual([REPO]);
    expect(tokenRequests).toHaveLength(2);
    expect(new URL(tokenRequests[1]!.path, 'https://auth.example.com').searchParams.getAll('scope')).toEqual(['registry:catalog:*']);
    // Once the realm is known, new scopes get their token before the request (no extra 401).
    expect(registryRequests.filter((q) => !q.headers.authorization)).toHaveLength(1);
  });

  it('one retry after a fresh token, then DENIED for insufficient scope (and never the password in messages)', async () => {
    const { tokenRequests } = tokenRegistry();
    const r = open({ credentials: { username: 'alice', password: 'wonderland' } });
    const error = await rejection(r.deleteBlob(REPO, sha256('x')));
    expect(error.code).toBe('DENIED');
    expect(error.message).not.toContain('wonderland');
    // DELETE asks for `delete` (what distribution's challenge names).
    expect(new URL(tokenRequests.at(-1)!.path, 'https://auth.example.com').searchParams.getAll('scope')).toContain(`repository:${REPO}:delete`);
    expect(tokenRequests.length).toBeLessThanOrEqual(2);
  });

  it('refuses a token realm on a private address when the registry is public; credentials are never sent there', async () => {
    const internal = route(agent, 'https://10.1.2.3', () => json({ token: 'stolen' }));
    route(agent, REGISTRY, () => ({ statusCode: 401, responseOptions: { headers: { 'www-authenticate': 'Bearer realm="https://10.1.2.3/token",service="x"' } } }));
    const r = open({ credentials: { username: 'alice', password: 'wonderland' } });
    const error = await rejection(r.resolveTag(REPO, 'v1'));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toMatch(/private.*refused/);
    expect(internal).toHaveLength(0);
  });

  it('Basic credentials are sent after the challenge only, and wrong ones give UNAUTHORIZED', async () => {
    const requests = route(agent, REGISTRY, (request) =>
      request.headers.authorization === `Basic ${Buffer.from('bob:right').toString('base64')}`
        ? json({ name: REPO, tags: ['v1'] })
        : { statusCode: 401, responseOptions: { headers: { 'www-authenticate': 'Basic realm="basic-realm"' } } },
    );
    expect(await collect(open({ credentials: { username: 'bob', password: 'right' } }).listTags(REPO))).toEqual(['v1']);
    expect(requests.map((q) => q.headers.authorization === undefined)).toEqual([true, false]);
    const error = await rejection(collect(open({ credentials: { username: 'bob', password: 'wrong' } }).listTags(REPO)));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('bob');
    expect(error.message).not.toContain('wrong');
  });
});
