import { connect, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

/** Sends raw bytes on a fresh connection and resolves with everything the server answered before closing. */
function rawExchange(url: string, bytes: Buffer): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

/** The start of a TLS 1.2/1.3 ClientHello record, as skopeo's HTTPS probe sends it. */
const CLIENT_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x00, 0xde, 0x01, 0x00, 0x00, 0xda, 0x03, 0x03, ...new Array<number>(32).fill(7)]);

describe('requests Node cannot parse', () => {
  it('answers a TLS handshake on the plain port with a JSON 400 and logs only the first one, on one line', async () => {
    const url = await start();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await rawExchange(url, CLIENT_HELLO);
        expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
        expect(answer).toContain('"code":"UNSUPPORTED"');
        expect(answer).toContain('this port speaks plain HTTP, not TLS');
      }
      expect(warn).not.toHaveBeenCalled();
      expect(info).toHaveBeenCalledTimes(1);
      expect(String(info.mock.calls[0]![0])).toMatch(/^\[porthole\] a client spoke TLS to this plain-HTTP port/);
    } finally {
      warn.mockRestore();
      info.mockRestore();
    }
  });

  it('still warns about every other malformed request', async () => {
    const url = await start();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 2; i++) {
        const answer = await rawExchange(url, Buffer.from('G\u0001T / HTTP/1.1\r\nhost: x\r\n\r\n', 'latin1'));
        expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
        expect(answer).toContain('the request is not valid HTTP');
      }
      expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([
        '[porthole] refused a request Node could not parse: HPE_INVALID_METHOD',
        '[porthole] refused a request Node could not parse: HPE_INVALID_METHOD',
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});
