import { describe, expect, it } from 'vitest';
import { Authenticator, Scope, type TokenAnswer } from './auth';
import { resolveOptions, type HttpRegistryOptions } from '../options';
import { rejection } from '../testing/mock-session';

const CHALLENGE = 'Bearer realm="https://auth.example.com/token",service="reg",scope="repository:a:pull"';

function setup(options: Partial<HttpRegistryOptions> = {}, answer: (url: URL, auth?: string) => TokenAnswer = () => ({ status: 200, body: { token: 'T' } })) {
  const requests: { url: URL; authorization?: string }[] = [];
  let now = 1_000_000;
  const auth = new Authenticator(
    resolveOptions({ url: 'https://registry.example.com', resolveHost: async () => ['93.184.216.34'], ...options }),
    async (url, authorization) => {
      requests.push({ url, authorization });
      return answer(url, authorization);
    },
    () => now,
  );
  return { auth, requests, advance: (ms: number) => (now += ms) };
}

describe('Authenticator', () => {
  it('sends nothing before a challenge, then tokens cached per scope set until shortly before expiry', async () => {
    let n = 0;
    const { auth, requests, advance } = setup({}, () => ({ status: 200, body: { token: `T${++n}`, expires_in: 120 } }));
    expect(await auth.authorization([Scope.pull('a')])).toBeUndefined();
    await auth.challenged([CHALLENGE], [Scope.pull('a')], false);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url.searchParams.get('service')).toBe('reg');
    expect(requests[0]!.url.searchParams.getAll('scope')).toEqual(['repository:a:pull']);
    expect(requests[0]!.authorization).toBeUndefined(); // anonymous
    expect(await auth.authorization([Scope.pull('a')])).toBe('Bearer T1');
    expect(await auth.authorization([Scope.pull('a')])).toBe('Bearer T1');
    expect(requests).toHaveLength(1);
    // Another scope set gets its own token, proactively (the realm is known now).
    expect(await auth.authorization([Scope.push('a')])).toBe('Bearer T2');
    expect(requests[1]!.url.searchParams.getAll('scope')).toEqual(['repository:a:pull,push']);
    expect(await auth.authorization([Scope.pull('a')])).toBe('Bearer T1');
    // 120 s tokens are renewed a few seconds before they expire.
    advance(114_000);
    expect(await auth.authorization([Scope.pull('a')])).toBe('Bearer T1');
    advance(2_000);
    expect(await auth.authorization([Scope.pull('a')])).toBe('Bearer T3');
    expect(requests).toHaveLength(3);
  });

  it('reads access_token, defaults expires_in to 60 s, shares one request between concurrent callers', async () => {
    const { auth, requests, advance } = setup({ credentials: { username: 'alice', password: 's3cret' } }, () => ({ status: 200, body: { access_token: 'A' } }));
    await auth.challenged([CHALLENGE], [Scope.catalog], false);
    expect(requests[0]!.authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(requests[0]!.url.searchParams.get('account')).toBe('alice');
    // Requested scopes plus the challenge's own.
    expect(requests[0]!.url.searchParams.getAll('scope')).toEqual(['registry:catalog:*', 'repository:a:pull']);
    advance(56_000);
    const [x, y] = await Promise.all([auth.authorization([Scope.catalog]), auth.authorization([Scope.catalog])]);
    expect([x, y]).toEqual(['Bearer A', 'Bearer A']);
    expect(requests).toHaveLength(2);
  });

  it('gives up after one fresh token: DENIED for insufficient_scope, UNAUTHORIZED otherwise', async () => {
    const { auth } = setup({ credentials: { username: 'bob', password: 'hunter2' } });
    await auth.challenged([CHALLENGE], [Scope.delete('a')], false);
    const denied = await rejection(auth.challenged([`${CHALLENGE},error="insufficient_scope"`], [Scope.delete('a')], true));
    expect(denied.code).toBe('DENIED');
    expect(denied.status).toBe(403);
    expect(denied.message).toContain('bob');
    expect(denied.message).not.toContain('hunter2');
    const invalid = await rejection(auth.challenged([`${CHALLENGE},error="invalid_token"`], [Scope.delete('a')], true));
    expect(invalid.code).toBe('UNAUTHORIZED');
  });

  it('maps token-server refusals without leaking the password', async () => {
    const { auth } = setup({ credentials: { username: 'carol', password: 'p@ss' } }, () => ({ status: 401, body: undefined }));
    const error = await rejection(auth.challenged([CHALLENGE], [Scope.pull('a')], false));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toMatch(/rejected the credentials of user carol/);
    expect(error.message).not.toContain('p@ss');
    const forbidden = setup({}, () => ({ status: 403, body: undefined }));
    expect((await rejection(forbidden.auth.challenged([CHALLENGE], [Scope.pull('a')], false))).code).toBe('DENIED');
    const broken = setup({}, () => ({ status: 200, body: { nothing: true } }));
    expect((await rejection(broken.auth.challenged([CHALLENGE], [Scope.pull('a')], false))).message).toContain('sent no token');
  });

  it('Basic: learns the scheme from the challenge, refuses without credentials or after a second 401', async () => {
    const { auth } = setup({ credentials: { username: 'dan', password: 'pw' } });
    await auth.challenged(['Basic realm="basic-realm"'], [Scope.pull('a')], false);
    expect(await auth.authorization([Scope.pull('a')])).toBe(`Basic ${Buffer.from('dan:pw').toString('base64')}`);
    expect((await rejection(auth.challenged(['Basic realm="r"'], [Scope.pull('a')], true))).message).toContain('rejected the credentials of user dan');
    const anonymous = setup();
    expect((await rejection(anonymous.auth.challenged(['Basic realm="r"'], [Scope.pull('a')], false))).message).toContain('requires credentials');
    expect((await rejection(anonymous.auth.challenged(['Digest realm="r"'], [Scope.pull('a')], false))).code).toBe('UNAUTHORIZED');
  });

  it('a configured token is sent as Bearer and its rejection is reported', async () => {
    const { auth, requests } = setup({ credentials: { token: 'pat-123' } });
    expect(await auth.authorization([Scope.pull('a')])).toBe('Bearer pat-123');
    const error = await rejection(auth.challenged([CHALLENGE], [Scope.pull('a')], false));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).not.toContain('pat-123');
    expect(requests).toHaveLength(0);
  });

  it('refuses realms on private addresses (literal, localhost, DNS) unless allowed or the registry is private too', async () => {
    const realm = (url: string) => `Bearer realm="${url}",service="reg"`;
    for (const url of ['https://10.0.0.5/token', 'https://localhost:5001/token', 'https://169.254.169.254/latest', 'https://[::1]/token']) {
      const { auth, requests } = setup({ credentials: { username: 'u', password: 'p' } });
      const error = await rejection(auth.challenged([realm(url)], [Scope.pull('a')], false));
      expect(error.message).toContain('private');
      expect(requests).toHaveLength(0);
    }
    const dns = setup({ resolveHost: async (host) => (host === 'internal.example.com' ? ['10.9.8.7'] : ['93.184.216.34']) });
    expect((await rejection(dns.auth.challenged([realm('https://internal.example.com/token')], [Scope.pull('a')], false))).message).toContain('private');
    const allowed = setup({ allowPrivateRealm: true });
    await allowed.auth.challenged([realm('https://10.0.0.5/token')], [Scope.pull('a')], false);
    expect(allowed.requests).toHaveLength(1);
    const privateRegistry = setup({ url: 'http://127.0.0.1:5000' });
    await privateRegistry.auth.challenged([realm('http://127.0.0.1:5001/token')], [Scope.pull('a')], false);
    expect(privateRegistry.requests).toHaveLength(1);
    const downgrade = setup();
    expect((await rejection(downgrade.auth.challenged([realm('http://auth.example.com/token')], [Scope.pull('a')], false))).message).toContain('plain http');
    expect(downgrade.requests).toHaveLength(0);
  });
});
