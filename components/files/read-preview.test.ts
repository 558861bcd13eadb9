import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_BYTES } from '@/lib/layers/text-content';
import { isRegistryError } from '@/lib/oci/errors';
import { readPreview } from './read-preview';

const BIG_TEXT = Buffer.alloc(2 * PREVIEW_BYTES, 'abcdefgh\n');
const BINARY = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(512 * 1024, 0)]);
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = req.url === '/text' ? BIG_TEXT : req.url === '/binary' ? BINARY : req.url === '/small' ? Buffer.from('hi\n') : undefined;
    if (!body) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: '/x is not in this image' }] }));
      return;
    }
    res.writeHead(200, { 'content-length': String(body.length) });
    // In 16 KiB writes; a client that stops reading closes the connection and the writing stops.
    let at = 0;
    const pump = () => {
      while (at < body.length) {
        const chunk = body.subarray(at, at + 16384);
        at += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => (at = body.length));
    pump();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('readPreview', () => {
  it('reads a whole small file', async () => {
    expect(await readPreview(`${base}/small`)).toEqual({ size: 3, read: 3, truncated: false, content: { kind: 'text', encoding: 'utf-8', bom: false, text: 'hi\n' } });
  });

  it('stops at 1 MiB of a longer text file', async () => {
    const preview = await readPreview(`${base}/text`);
    expect(preview).toMatchObject({ size: BIG_TEXT.length, read: PREVIEW_BYTES, truncated: true });
    expect(preview.content.kind === 'text' && preview.content.text.length).toBe(PREVIEW_BYTES);
  });

  it('stops early on binary data and reads the ELF header from it', async () => {
    const preview = await readPreview(`${base}/binary`);
    expect(preview.content).toEqual({ kind: 'binary' });
    expect(preview.truncated).toBe(true);
    expect(preview.read).toBeLessThan(BINARY.length);
    expect(preview.elf).toBeUndefined(); // only a magic number, no valid header: not called ELF
  });

  it('turns an API error into a RegistryError', async () => {
    const error = await readPreview(`${base}/missing`).catch((e: unknown) => e);
    expect(isRegistryError(error) && error.code).toBe('BLOB_UNKNOWN');
  });
});
