/**
 * Redirects get the token realms' address policy (issue 10 item 7): a registry on a public address cannot
 * send Porthole to a loopback, private or link-local one. MockAgent with a stub resolver, because a public
 * registry address is exactly what a loopback test server cannot be. The loopback case (a private registry
 * redirecting to another loopback port, where the digest check is the defence) is in
 * lib/server/blob-verify.integration.test.ts.
 */
import type { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/oci/errors';
import { readStream } from '@/lib/registry/testing/contract';
import { createHttpRegistry, type HttpRegistry, type HttpRegistryOptions } from './index';
import { mockAgent, route, sha256, testOptions, utf8 } from './testing/mock-registry';

/** Plain http, so that the https → http downgrade rule does not hide the address rule. */
const REGISTRY = 'http://registry.example.com';

const SECRET = utf8('{"secret":"internal credentials"}');
const ADDRESSES: Record<string, string[]> = {
  'registry.example.com': ['93.184.216.34'],
  'bucket.storage.example.net': ['93.184.216.35'],
  'internal.example.net': ['10.1.2.3'],
  'metadata.example.net': ['169.254.169.254'],
};

let agent: MockAgent;
const opened: HttpRegistry[] = [];

function open(options: Partial<HttpRegistryOptions> = {}): HttpRegistry {
  const registry = createHttpRegistry({ ...testOptions(agent), url: REGISTRY, resolveHost: async (host) => ADDRESSES[host] ?? [], ...options });
  opened.push(registry);
  return registry;
}

beforeEach(() => {
  agent = mockAgent();
});

afterEach(async () => {
  for (const r of opened.splice(0)) await r.close();
  await agent.close();
});

/** The registry redirects every blob to `target`; every target origin records what reached it. */
function redirectingTo(target: string) {
  route(agent, REGISTRY, () => ({ statusCode: 302, responseOptions: { headers: { location: target } } }));
  const reached: string[] = [];
  for (const origin of ['http://127.0.0.1:5999', 'http://localhost', 'http://internal.example.net', 'http://metadata.example.net', 'http://[::1]:8443']) {
    route(agent, origin, (request) => {
      reached.push(origin + request.path);
      return { statusCode: 200, data: Buffer.from(SECRET), responseOptions: { headers: { 'content-length': String(SECRET.length) } } };
    });
  }
  return reached;
}

describe('redirects of a registry on a public address', () => {
  it.each([
    'http://127.0.0.1:5999/secret.json',
    'http://localhost/secret.json',
    'http://internal.example.net/secret.json',
    'http://metadata.example.net/latest/meta-data',
    'http://[::1]:8443/secret.json',
  ])('to %s are refused before anything is sent there', async (target) => {
    const reached = redirectingTo(target);
    const r = open();
    const error = await r.getBlob('team/app', sha256(SECRET)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe('UNAVAILABLE');
    expect((error as RegistryError).message).toMatch(/private or link-local address .*refused/);
    expect(reached).toEqual([]);
  });

  it('to public object storage are followed', async () => {
    const bytes = utf8('layer in the bucket');
    route(agent, REGISTRY, () => ({ statusCode: 302, responseOptions: { headers: { location: 'https://bucket.storage.example.net/b?sig=1' } } }));
    route(agent, 'https://bucket.storage.example.net', () => ({
      statusCode: 200,
      data: Buffer.from(bytes),
      responseOptions: { headers: { 'content-length': String(bytes.length) } },
    }));
    const blob = await open().getBlob('team/app', sha256(bytes));
    expect(await readStream(blob.body)).toEqual(bytes);
  });

  it('to a private address are followed when allowPrivateRedirects says so', async () => {
    const reached = redirectingTo('http://internal.example.net/blob');
    const blob = await open({ allowPrivateRedirects: true }).getBlob('team/app', sha256(SECRET));
    expect(await readStream(blob.body)).toEqual(SECRET);
    expect(reached).toEqual(['http://internal.example.net/blob']);
  });
});
