/**
 * blobResponse for whole small blobs: bytes the http reader already read whole and verified are served
 * without being hashed a second time (and without a web stream), while everything else — a backend's
 * unverified bytes, a stream read from a layout — is still verified, failing with the same errors as before.
 * `node:crypto`'s createHash is wrapped to count the hashes computed; the registry is a stub that hands out
 * one prepared blob, since what matters here is what the service does with it (the http reader's own
 * checks are covered by lib/registry/http/reader.test.ts and lib/server/blob-verify.integration.test.ts).
 */
import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Digest } from '@/lib/oci/types';
import { bytesBlob, streamOf } from '@/lib/registry/blob-bytes';
import type { BlobContent } from '@/lib/registry/registry';
import { markVerifiedBlob } from '@/lib/registry/verified-manifest';
import { blobResponse } from './blob-service';
import type { Source } from './sources';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, createHash: vi.fn(actual.createHash) };
});

const createHash = vi.mocked(crypto.createHash);

function sha256(bytes: Uint8Array): Digest {
  return `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
}

/** A source whose registry answers every getBlob with `blob`. */
function sourceWith(blob: BlobContent): Source {
  return { registry: { getBlob: async () => blob } } as unknown as Source;
}

/** `blob` with a counter of how often its web stream was asked for. */
function counted(blob: BlobContent): { blob: BlobContent; streams: () => number } {
  let streams = 0;
  const wrapped = Object.create(blob, {
    body: {
      get() {
        streams++;
        return blob.body;
      },
    },
  }) as BlobContent;
  return { blob: wrapped, streams: () => streams };
}

async function serve(blob: BlobContent, digest: Digest): Promise<Response> {
  return blobResponse(sourceWith(blob), 'app', digest, new Request('http://localhost/blob'));
}

const CONFIG = new TextEncoder().encode('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
const DIGEST = sha256(CONFIG);
const descriptor = (digest: Digest, size: number) => ({ mediaType: 'application/octet-stream', digest, size });

afterEach(() => {
  createHash.mockClear();
});

describe('blobResponse, small whole blobs', () => {
  it('serves bytes the http reader verified without hashing them again or making a stream', async () => {
    const bytes = CONFIG.slice();
    markVerifiedBlob(bytes, DIGEST);
    const { blob, streams } = counted(bytesBlob(descriptor(DIGEST, bytes.byteLength), bytes));
    createHash.mockClear();
    const response = await serve(blob, DIGEST);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(CONFIG);
    expect(createHash).not.toHaveBeenCalled();
    expect(streams()).toBe(0);
  });

  it('still hashes bytes nobody verified (memory backend, content cache read back from disk)', async () => {
    const bytes = CONFIG.slice();
    createHash.mockClear();
    const response = await serve(bytesBlob(descriptor(DIGEST, bytes.byteLength), bytes), DIGEST);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(CONFIG);
    expect(createHash).toHaveBeenCalledTimes(1);
  });

  it('still hashes bytes verified against another digest', async () => {
    const bytes = CONFIG.slice();
    markVerifiedBlob(bytes, `sha256:${'0'.repeat(64)}`);
    createHash.mockClear();
    await serve(bytesBlob(descriptor(DIGEST, bytes.byteLength), bytes), DIGEST);
    expect(createHash).toHaveBeenCalledTimes(1);
  });

  it('an unverified corrupt blob held in memory fails with DIGEST_INVALID (502), as before', async () => {
    const corrupt = new TextEncoder().encode('{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    expect(corrupt.byteLength).toBe(CONFIG.byteLength);
    await expect(serve(bytesBlob(descriptor(DIGEST, corrupt.byteLength), corrupt), DIGEST)).rejects.toMatchObject({
      code: 'DIGEST_INVALID',
      status: 502,
      message: `blob ${DIGEST} content hashes to ${sha256(corrupt)}; not served`,
      detail: { digest: DIGEST },
    });
  });

  it('a corrupt blob streamed by a backend (layout) fails with DIGEST_INVALID (502), as before', async () => {
    // The same bytes with the last bit of the last `}` flipped.
    const corrupt = CONFIG.slice();
    corrupt[corrupt.length - 1] = 0x7c;
    const blob: BlobContent = { descriptor: descriptor(DIGEST, corrupt.byteLength), body: streamOf(corrupt) };
    await expect(serve(blob, DIGEST)).rejects.toMatchObject({
      code: 'DIGEST_INVALID',
      status: 502,
      message: `blob ${DIGEST} content hashes to ${sha256(corrupt)}; not served`,
    });
  });

  it('a streamed blob longer or shorter than its descriptor fails with SIZE_INVALID (502), as before', async () => {
    const longer: BlobContent = { descriptor: descriptor(DIGEST, CONFIG.byteLength - 1), body: streamOf(CONFIG) };
    await expect(serve(longer, DIGEST)).rejects.toMatchObject({
      code: 'SIZE_INVALID',
      status: 502,
      message: `blob ${DIGEST} has more than the expected ${CONFIG.byteLength - 1} bytes; not served`,
    });
    const shorter: BlobContent = { descriptor: descriptor(DIGEST, CONFIG.byteLength + 1), body: streamOf(CONFIG) };
    await expect(serve(shorter, DIGEST)).rejects.toMatchObject({
      code: 'SIZE_INVALID',
      status: 502,
      message: `blob ${DIGEST} has ${CONFIG.byteLength} bytes, expected ${CONFIG.byteLength + 1}; not served`,
    });
  });

  it('verified bytes of another size than the descriptor says are checked, not trusted', async () => {
    const bytes = CONFIG.slice();
    markVerifiedBlob(bytes, DIGEST);
    await expect(serve(bytesBlob(descriptor(DIGEST, bytes.byteLength + 1), bytes), DIGEST)).rejects.toMatchObject({
      code: 'SIZE_INVALID',
      status: 502,
    });
  });
});
