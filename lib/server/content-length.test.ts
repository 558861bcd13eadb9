import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CONTENT_LENGTH_HEADER, installContentLengthPassthrough, keepContentLength } from './content-length';

describe('Content-Length passthrough', () => {
  it('turns the private header into Content-Length, as Next copies headers (setHeader with an array)', async () => {
    installContentLengthPassthrough();
    installContentLengthPassthrough();
    const response = keepContentLength(new Response(null, { headers: { 'content-length': '1234' } }));
    const server = createServer((_req, res) => {
      // What Next's sendResponse does: skip content-length, append every other header as an array.
      response.headers.forEach((value, name) => {
        if (name !== 'content-length') res.setHeader(name, [value]);
      });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      request({ host: '127.0.0.1', port, method: 'HEAD' }, (res) => {
        res.resume();
        resolve(res.headers);
      })
        .on('error', reject)
        .end();
    });
    server.close();
    expect(headers['content-length']).toBe('1234');
    expect(headers[CONTENT_LENGTH_HEADER]).toBeUndefined();
  });
});
