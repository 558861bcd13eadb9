import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedServer } from './guarded-server';
import { currentRequestId } from './request-context';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A guarded server whose "Next.js" answers with the request id it sees after an await (as a route would). */
async function start(): Promise<string> {
  server = createGuardedServer(async (_request, response) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ seen: currentRequestId() ?? null }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('request ids at the server entry', () => {
  it('names the id in X-Request-Id of /api and /v2 answers and carries it into the handler', async () => {
    const url = await start();
    const kept = await fetch(`${url}/api/health`, { headers: { 'x-request-id': 'lb-7f3a' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a');
    expect(await kept.json()).toEqual({ seen: 'lb-7f3a' });

    const made = await fetch(`${url}/v2/`);
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await made.json()).toEqual({ seen: id });
  });

  it('names refusals too, and leaves pages without the header', async () => {
    const url = await start();
    const refused = await fetch(`${url}/api/metrics`, { method: 'DELETE', headers: { 'x-request-id': 'refused-1' } });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('x-request-id')).toBe('refused-1');
    const page = await fetch(`${url}/s/demo`);
    expect(page.headers.get('x-request-id')).toBeNull();
  });
});
