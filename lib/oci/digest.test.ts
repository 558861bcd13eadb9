import { describe, expect, it } from 'vitest';
import { isDigest, parseDigest, shortDigest } from './digest';
import { isRegistryError } from './errors';

const HEX64 = 'a'.repeat(64);

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
