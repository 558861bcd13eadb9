/**
 * skopeo 1.9.3 against Porthole's server entry: told the registry is insecure, it tries HTTPS first (a TLS
 * ClientHello on the plain port, which Node's parser refuses with HPE_INVALID_METHOD) and falls back to HTTP.
 * The probe must not fail the call nor fill the log; a stub stands in for Next.js.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, expect, it, vi } from 'vitest';
import { skopeoListTags } from '@/lib/registry/testing/skopeo';
import { createGuardedServer } from './guarded-server';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

it('serves skopeo through its HTTPS probe with one log line for the server, however many calls', { timeout: 120_000 }, async () => {
  const requests: string[] = [];
  server = createGuardedServer(async (request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.setHeader('content-type', 'application/json');
    response.setHeader('docker-distribution-api-version', 'registry/2.0');
    if (request.url === '/v2/') response.end('{}');
    else if (request.url?.startsWith('/v2/team/app/tags/list')) response.end(JSON.stringify({ name: 'team/app', tags: ['v1', 'v2'] }));
    else {
      response.statusCode = 404;
      response.end(JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'unknown' }] }));
    }
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
  try {
    for (let i = 0; i < 3; i++) expect(await skopeoListTags(`docker://${host}/team/app`)).toEqual(['v1', 'v2']);
    expect(requests.filter((r) => r.startsWith('GET /v2/team/app/tags/list'))).toHaveLength(3);
    expect(warn).not.toHaveBeenCalled();
    // The probe did reach the server (so this test shows the fallback), and was logged once.
    expect(info.mock.calls.map((call) => String(call[0]))).toEqual([expect.stringMatching(/^\[porthole\] a client spoke TLS to this plain-HTTP port/)]);
  } finally {
    warn.mockRestore();
    info.mockRestore();
  }
});
