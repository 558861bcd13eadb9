import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHasher, digestOf, isDigest, parseDigest, shortDigest, verifyDigest, verifyStream } from './digest';
import { isRegistryError } from './errors';

const HEX64 = 'a'.repeat(64);
const enc = (s: string) => new TextEncoder().encode(s);

function expectCode(fn: () => unknown, code: string, message?: RegExp) {
  try {
    fn();
  } catch (error) {
    expect(isRegistryError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    if (message) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a RegistryError');
}

async function readChunks(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number> {
  return (await readChunks(stream)).reduce((sum, chunk) => sum + chunk.length, 0);
}

function streamOf(bytes: Uint8Array, chunkSize: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

describe('parseDigest', () => {
  it('accepts sha256 and sha512', () => {
    expect(parseDigest(`sha256:${HEX64}`)).toEqual({ algorithm: 'sha256', encoded: HEX64 });
    expect(parseDigest(`sha512:${'0'.repeat(128)}`).algorithm).toBe('sha512');
  });

  // Well-formed per the image-spec grammar, but not registered: refused everywhere (issue 10, item 10).
  it.each([
    `md5:${'a'.repeat(32)}`,
    `sha384:${'a'.repeat(96)}`,
    `sha256+b64:${'A'.repeat(43)}=`,
    'multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8',
    'blake3:abc=_-',
    `sha1:${'a'.repeat(40)}`,
  ])('refuses the unregistered algorithm of %j with DIGEST_INVALID', (value) => {
    expectCode(() => parseDigest(value), 'DIGEST_INVALID', /is not supported \(only sha256 and sha512\)/);
    expect(isDigest(value)).toBe(false);
  });

  it.each([
    ['', /must not be empty/],
    [HEX64, /algorithm:encoded/],
    [`SHA256:${HEX64}`, /invalid algorithm "SHA256"/],
    [`sha256+:${HEX64}`, /invalid algorithm/],
    ['sha256:', /invalid encoded part/],
    ['foo:abc/def', /invalid encoded part/],
    [`sha256:${'A'.repeat(64)}`, /exactly 64 lower-case hex characters .*not all lower-case hex/],
    [`sha256:${'a'.repeat(63)}`, /exactly 64 lower-case hex characters after "sha256:" \(got 63\)/],
    [`sha512:${HEX64}`, /exactly 128/],
  ])('rejects %j', (value, message) => {
    expectCode(() => parseDigest(value), 'DIGEST_INVALID', message);
    expect(isDigest(value)).toBe(false);
  });

  it('isDigest is true for valid digests', () => {
    expect(isDigest(`sha256:${HEX64}`)).toBe(true);
  });
});

describe('hashing', () => {
  const lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 112, 113, 127, 128, 129, 200, 1000, 4096, 1 << 20];
  for (const algorithm of ['sha256', 'sha512'] as const) {
    it(`${algorithm} matches node:crypto for lengths ${lengths.join(', ')}`, () => {
      for (const length of lengths) {
        const bytes = randomBytes(length);
        expect(digestOf(bytes, algorithm), `length ${length}`).toBe(`${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`);
      }
    });

    it(`${algorithm} is incremental over random chunk boundaries and can digest mid-way`, () => {
      for (let round = 0; round < 20; round++) {
        const bytes = randomBytes(Math.floor(Math.random() * 3000));
        const hasher = createHasher(algorithm);
        let offset = 0;
        while (offset < bytes.length) {
          const step = Math.floor(Math.random() * 300);
          hasher.update(bytes.subarray(offset, offset + step));
          offset += step;
          const sofar = bytes.subarray(0, Math.min(offset, bytes.length));
          if (round % 5 === 0) expect(hasher.digest()).toBe(`${algorithm}:${createHash(algorithm).update(sofar).digest('hex')}`);
        }
        expect(hasher.digest()).toBe(`${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`);
      }
    });
  }

  it('defaults to sha256 and knows the empty digest', () => {
    expect(digestOf(new Uint8Array())).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(digestOf(enc('{}'))).toBe('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });

  it('hashes a 4 MiB manifest-sized input like node:crypto', () => {
    const bytes = randomBytes(4 << 20);
    expect(digestOf(bytes)).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
  });

  it('refuses unsupported algorithms with DIGEST_INVALID', () => {
    expectCode(() => createHasher('md5' as 'sha256'), 'DIGEST_INVALID', /"md5" is not supported/);
    expectCode(() => verifyDigest(enc('x'), 'blake3:abcdef'), 'DIGEST_INVALID', /"blake3" is not supported/);
  });
});

describe('verifyDigest', () => {
  it('passes matching content and rejects a mismatch naming both digests', () => {
    const bytes = enc('hello');
    const digest = digestOf(bytes);
    expect(() => verifyDigest(bytes, digest)).not.toThrow();
    expect(() => verifyDigest(bytes, digestOf(bytes, 'sha512'))).not.toThrow();
    expectCode(() => verifyDigest(enc('hellO'), digest), 'DIGEST_INVALID', new RegExp(`does not match digest ${digest}`));
    expectCode(() => verifyDigest(bytes, 'sha256:zz'), 'DIGEST_INVALID', /exactly 64/);
  });
});

describe('verifyStream', () => {
  const bytes = randomBytes(10_000);
  const digest = digestOf(bytes);

  it('passes matching content through unchanged', async () => {
    const out = await readChunks(verifyStream(streamOf(bytes, 777), digest, bytes.length));
    expect(Buffer.concat(out).equals(bytes)).toBe(true);
  });

  it('errors with DIGEST_INVALID at the end on a mismatch', async () => {
    const other = Uint8Array.from(bytes);
    other[5000] = other[5000]! ^ 1;
    await expect(readAll(verifyStream(streamOf(other, 1000), digest))).rejects.toMatchObject({ code: 'DIGEST_INVALID' });
  });

  it('errors with SIZE_INVALID when the size differs', async () => {
    await expect(readAll(verifyStream(streamOf(bytes, 1000), digest, bytes.length + 1))).rejects.toMatchObject({
      code: 'SIZE_INVALID',
      message: `content has 10000 bytes, expected 10001`,
    });
    await expect(readAll(verifyStream(streamOf(bytes, 1000), digest, 1500))).rejects.toMatchObject({
      code: 'SIZE_INVALID',
      message: 'content is longer than the expected 1500 bytes',
    });
  });

  it('throws synchronously for an unsupported digest', () => {
    expectCode(() => verifyStream(streamOf(bytes, 10), 'foo:bar'), 'DIGEST_INVALID', /not supported/);
  });
});

describe('shortDigest', () => {
  it('returns the start of the encoded part', () => {
    expect(shortDigest(`sha256:0123456789abcdef${'0'.repeat(48)}`)).toBe('0123456789ab');
    expect(shortDigest(`sha256:0123456789abcdef${'0'.repeat(48)}`, 7)).toBe('0123456');
  });
});

describe('lib/oci purity', () => {
  it('imports nothing from Node so browser code can use it', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('.', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources).toContain('digest.ts');
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      expect(text, file).not.toMatch(/from ['"](node:|crypto|fs|path|server-only)/);
      expect(text, file).not.toMatch(/import ['"]server-only['"]/);
    }
  });
});
