/**
 * Hostile input against the built server (scripts/serve.ts, the production entry), issue 10 items 6, 8, 9, 10.
 * This spec starts a Porthole of its own, configured with credential-echoing registries (echo-registry.ts) and
 * an `allowedHosts` entry, next to the shared stack's docker-registry (repository `security/probe`).
 * Requests go through node:http with the path exactly as written: fetch and browsers normalise `%2e%2e`, lone
 * `%` and methods like TRACE before sending.
 */
import { request as httpRequest } from 'node:http';
import { ECHO_PASSWORD, ECHO_TOKEN, ECHO_USER, startEchoRegistries, type EchoRegistries } from './support/echo-registry';
import { startPorthole, type PortholeServer } from './support/porthole-server';
import { registryDigest, registryTags } from './support/registry';
import { expect, test } from './support/test';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: { errors?: { code: string; message: string; detail?: unknown }[] } | undefined;
}

/** One request with the path and headers exactly as given (no URL normalisation), body read whole. */
function raw(server: PortholeServer, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Answer['json'];
        try {
          json = JSON.parse(text) as Answer['json'];
        } catch {
          json = undefined;
        }
        done({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** Asserts the distribution-spec error format with `code` and `status`. */
function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text.slice(0, 300)).toBe(status);
  expect(String(answer.headers['content-type'])).toContain('application/json');
  expect(answer.json?.errors?.[0]?.code, answer.text.slice(0, 300)).toBe(code);
}

const BASIC = Buffer.from(`${ECHO_USER}:${ECHO_PASSWORD}`).toString('base64');
const SECRETS = [ECHO_PASSWORD, BASIC, ECHO_TOKEN];
const REPO = 'security/probe';
const TAGS = `/api/sources/registry/repositories/${REPO}/-/tags`;

let echo: EchoRegistries;
let server: PortholeServer;

test.describe('security against the built server', () => {
  test.describe.configure({ timeout: 180_000 });

  test.beforeAll(async ({ stack }) => {
    test.setTimeout(180_000);
    echo = await startEchoRegistries();
    server = await startPorthole({
      allowedHosts: ['porthole.internal'],
      sources: [
        { name: 'registry', kind: 'http', url: stack.registryUrl, delete: true },
        { name: 'ro', kind: 'http', url: stack.registryUrl, delete: false },
        { name: 'echo-basic', kind: 'http', url: echo.basicUrl, username: ECHO_USER, password: ECHO_PASSWORD, retries: 0 },
        { name: 'echo-token', kind: 'http', url: echo.tokenUrl, username: ECHO_USER, password: ECHO_PASSWORD, retries: 0 },
      ],
    });
  });

  test.afterAll(async () => {
    await server?.stop();
    await echo?.stop();
  });

  test('6: no configured or learnt secret reaches an answer, the server log or the audit log', async () => {
    // The configured password as a source name used to be echoed ("source … is not configured").
    const byName = await raw(server, 'GET', `/api/sources/${ECHO_PASSWORD}/repositories`);
    expectError(byName, 404, 'NAME_UNKNOWN');

    // Registries that echo the Authorization header: Basic (user:password and its base64) and a run-time token.
    const basic = await raw(server, 'GET', '/api/sources/echo-basic/repositories');
    expectError(basic, 403, 'DENIED');
    expect(basic.text).toContain('[redacted]'); // the echo arrived, scrubbed
    const token = await raw(server, 'GET', '/api/sources/echo-token/repositories');
    expectError(token, 403, 'DENIED');
    expect(token.text).toContain('[redacted]');

    // A refused delete and a refused raw path that carry the password: audit entry and log line.
    const refused = await raw(server, 'DELETE', `/api/sources/${ECHO_PASSWORD}/repositories/a/-/tags/x`, { host: 'evil.example' });
    expectError(refused, 403, 'DENIED');
    expectError(await raw(server, 'GET', `/api/sources/${ECHO_PASSWORD}/repositories/%zz/-/tags`), 400, 'NAME_INVALID');

    const audit = await server.audit();
    expect(audit).toContain('"result":"denied"');
    const log = await server.log();
    expect(log).toContain('refused GET /api/sources/[redacted]/repositories/%zz/-/tags');
    for (const answer of [byName, basic, token, refused]) for (const secret of SECRETS) expect(answer.text).not.toContain(secret);
    for (const secret of SECRETS) {
      expect(audit).not.toContain(secret);
      expect(log).not.toContain(secret);
    }
  });

  test('8: a DNS-rebinding page cannot delete; configured hosts can', async ({ stack }) => {
    const before = await registryDigest(stack.registryUrl, REPO, 't5');
    expect(before).toBeTruthy();
    const hostile = { host: `evil.example:${server.port}`, origin: `http://evil.example:${server.port}`, 'sec-fetch-site': 'same-origin' };
    expectError(await raw(server, 'DELETE', `${TAGS}/t5`, hostile), 403, 'DENIED');
    const cleanup = JSON.stringify({ repositories: [REPO], rules: [{ match: '.*', keepNewest: 0 }], dryRun: false });
    expectError(await raw(server, 'POST', '/api/sources/registry/cleanup', { ...hostile, 'content-type': 'application/json' }, cleanup), 403, 'DENIED');
    // X-Forwarded-Host is anyone's to send; a loopback Host with a foreign Origin is cross-site too.
    expectError(await raw(server, 'DELETE', `${TAGS}/t5`, { ...hostile, 'x-forwarded-host': `localhost:${server.port}` }), 403, 'DENIED');
    expectError(await raw(server, 'DELETE', `${TAGS}/t5`, { host: `localhost:${server.port}`, origin: `http://evil.example:${server.port}` }), 403, 'DENIED');
    expect(await registryDigest(stack.registryUrl, REPO, 't5')).toBe(before);
    const denied = (await server.audit()).split('\n').filter((line) => line.includes('"tag":"t5"') && line.includes('"result":"denied"'));
    expect(denied.length).toBeGreaterThanOrEqual(3);

    // A name from allowedHosts (any port), with its own origin, may delete.
    const allowed = await raw(server, 'DELETE', `${TAGS}/t1`, { host: `porthole.internal:${server.port}`, origin: `http://porthole.internal:${server.port}`, 'sec-fetch-site': 'same-origin' });
    expect(allowed.status, allowed.text).toBe(200);
    expect(await registryTags(stack.registryUrl, REPO)).toEqual(['t5']);
  });

  test('9: encoded dot segments, bad encodings, odd methods and sizes get JSON errors before routing', async ({ stack }) => {
    // Through `ro` and up into the delete-enabled source: refused, nothing deleted.
    expectError(await raw(server, 'DELETE', `/api/sources/ro/%2e%2e/registry/repositories/${REPO}/-/tags/t5`), 400, 'NAME_INVALID');
    expect(await registryTags(stack.registryUrl, REPO)).toContain('t5');
    for (const path of [
      '/api/sources/registry/repositories/security/%2e%2e/security/probe/-/tags',
      '/api/sources/registry/repositories/security/.%2E/security/probe/-/tags',
      '/api/sources/registry/repositories/security/../security/probe/-/tags',
      '/api/sources/registry/repositories/%zz/-/tags',
      '/api/sources/registry/repositories/a/-/tags/%C0%AF',
      '/api/sources/registry/repositories/a%/-/tags',
      '/api/sources/registry/repositories/security%2Fprobe/-/tags',
      '/v2/security/%2e%2e/probe/tags/list',
    ]) {
      expectError(await raw(server, 'GET', path), 400, 'NAME_INVALID');
    }
    const trace = await raw(server, 'TRACE', '/api/sources');
    expectError(trace, 405, 'UNSUPPORTED');
    const put = await raw(server, 'PUT', '/api/sources', { 'content-type': 'application/json' }, '{}');
    expectError(put, 405, 'UNSUPPORTED');
    expect(put.headers.allow).toBe('GET, HEAD, OPTIONS');
    expectError(await raw(server, 'GET', '/api/sources/registry/cleanup'), 405, 'UNSUPPORTED');
    expectError(await raw(server, 'DELETE', '/api/health'), 405, 'UNSUPPORTED');
    expectError(await raw(server, 'GET', '/api/no/such/endpoint'), 404, 'UNSUPPORTED');
    expectError(await raw(server, 'GET', '/api'), 404, 'UNSUPPORTED');
    expectError(await raw(server, 'POST', '/api/sources/registry/nothing-here'), 404, 'UNSUPPORTED');
    expectError(await raw(server, 'FOO', '/api/sources'), 400, 'UNSUPPORTED');
    expectError(await raw(server, 'GET', `/api/sources?q=${'a'.repeat(9_000)}`), 414, 'UNSUPPORTED');
    expectError(await raw(server, 'GET', `/api/sources?q=${'a'.repeat(20_000)}`), 431, 'UNSUPPORTED');
    // Ordinary requests still work, and refusals are logged.
    expect((await raw(server, 'GET', `${TAGS}?n=5`)).status).toBe(200);
    expect(await server.log()).toMatch(/refused TRACE \/api\/sources: 405 UNSUPPORTED/);
  });

  test('10: only sha256 and sha512 digests, refused with 400 DIGEST_INVALID', async () => {
    const base = `/api/sources/registry/repositories/${REPO}/-`;
    const sha512 = `sha512:${'a'.repeat(128)}`;
    for (const digest of [`md5:${'a'.repeat(32)}`, `sha384:${'a'.repeat(96)}`, `sha256+b64:${'A'.repeat(43)}=`, `sha1:${'a'.repeat(40)}`]) {
      for (const [method, path] of [
        ['GET', `${base}/manifests/${digest}`],
        ['GET', `${base}/blobs/${digest}`],
        ['GET', `${base}/referrers/${digest}`],
        ['DELETE', `${base}/manifests/${digest}`],
      ] as const) {
        expectError(await raw(server, method, path), 400, 'DIGEST_INVALID');
      }
    }
    // A registered algorithm passes validation and reaches the registry (which does not know it).
    expect((await raw(server, 'GET', `${base}/manifests/${sha512}`)).status).toBe(404);
  });
});
