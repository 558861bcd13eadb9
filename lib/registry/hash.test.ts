import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isRegistryError } from '@/lib/oci/errors';
import { algorithmOf, createStreamHash, hashBytes, matchesDigest } from './hash';

const enc = (s: string) => new TextEncoder().encode(s);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isRegistryError(error) ? error.code : 'not a RegistryError';
  }
  return undefined;
}

describe('hashing', () => {
  it('defaults to sha256 and knows the empty digest', () => {
    expect(hashBytes(new Uint8Array())).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashBytes(enc('{}'))).toBe('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(hashBytes(enc(''), 'sha512')).toMatch(/^sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce[0-9a-f]{64}$/);
  });

  it('hashes incrementally over chunks and counts bytes', () => {
    const bytes = randomBytes(100_000);
    const hash = createStreamHash('sha256');
    for (let offset = 0; offset < bytes.length; offset += 7_777) hash.update(bytes.subarray(offset, offset + 7_777));
    expect(hash.size).toBe(bytes.length);
    expect(hash.digest()).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
  });

  it('checks bytes against a digest with its algorithm', () => {
    const sha512 = hashBytes(enc('x'), 'sha512');
    expect(matchesDigest(enc('x'), sha512)).toBe(true);
    expect(matchesDigest(enc('y'), sha512)).toBe(false);
    expect(matchesDigest(enc('x'), hashBytes(enc('x')))).toBe(true);
  });

  it('refuses digests it cannot compute with DIGEST_INVALID', () => {
    expect(algorithmOf(`sha512:${'a'.repeat(128)}`)).toBe('sha512');
    expect(codeOf(() => algorithmOf('blake3:abcdef'))).toBe('DIGEST_INVALID');
    expect(codeOf(() => algorithmOf('not a digest'))).toBe('DIGEST_INVALID');
    expect(codeOf(() => matchesDigest(enc('x'), 'md5:abcdef'))).toBe('DIGEST_INVALID');
  });
});
