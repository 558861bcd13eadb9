import { describe, expect, it } from 'vitest';
import { bytesBlob, readBlobBytes, streamOf } from './blob-bytes';
import { readAll } from './read-all';

const descriptor = { mediaType: 'application/octet-stream', digest: 'sha256:00', size: 3 } as const;

describe('blobs with their bytes in hand', () => {
  it('are read without a stream; the body is made only when a caller streams it, once', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const Original = globalThis.ReadableStream;
    let made = 0;
    class Counted extends Original<Uint8Array> {
      constructor(source: UnderlyingDefaultSource<Uint8Array>) {
        super(source);
        made++;
      }
    }
    globalThis.ReadableStream = Counted as typeof ReadableStream;
    try {
      const blob = bytesBlob(descriptor, bytes);
      expect(await readBlobBytes(blob, 10)).toBe(bytes);
      expect(made).toBe(0);
      expect(blob.body).toBe(blob.body);
      expect(made).toBe(1);
      expect(await readAll(blob.body, 10)).toEqual(bytes);
    } finally {
      globalThis.ReadableStream = Original;
    }
  });

  it('keep the limit of a whole read, and read a body when there are no bytes', async () => {
    const blob = bytesBlob(descriptor, new Uint8Array(5));
    await expect(readBlobBytes(blob, 4)).rejects.toMatchObject({ code: 'SIZE_INVALID' });
    const streamed = { descriptor, body: streamOf(new Uint8Array([7, 8])) };
    expect(await readBlobBytes(streamed, 4)).toEqual(new Uint8Array([7, 8]));
    await expect(readBlobBytes({ descriptor, body: streamOf(new Uint8Array(5)) }, 4)).rejects.toMatchObject({ code: 'SIZE_INVALID' });
  });

  it('carry the served range', () => {
    expect(bytesBlob(descriptor, new Uint8Array([2]), { start: 1, end: 1 }).range).toEqual({ start: 1, end: 1 });
    expect('range' in bytesBlob(descriptor, new Uint8Array([2]))).toBe(false);
  });
});
