import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SCHEMA1_PAYLOAD, signSchema1 } from './testing/mock-registry';
import { schema1PayloadDigest } from './schema1';

const sha256 = (text: string | Uint8Array) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('schema1PayloadDigest', () => {
  it('rebuilds the JWS payload (formatLength + formatTail) and hashes it', () => {
    const signed = signSchema1(SCHEMA1_PAYLOAD);
    expect(sha256(signed)).not.toBe(sha256(SCHEMA1_PAYLOAD));
    expect(schema1PayloadDigest(signed, 'sha256')).toBe(sha256(SCHEMA1_PAYLOAD));
    expect(schema1PayloadDigest(signed, 'sha512')).toMatch(/^sha512:[0-9a-f]{128}$/);
  });

  it('gives undefined without a usable protected header', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(schema1PayloadDigest(bytes(SCHEMA1_PAYLOAD), 'sha256')).toBeUndefined();
    expect(schema1PayloadDigest(bytes('not json'), 'sha256')).toBeUndefined();
    expect(schema1PayloadDigest(bytes('{"signatures":[{"protected":"!!!"}]}'), 'sha256')).toBeUndefined();
    const tooLong = Buffer.from(JSON.stringify({ formatLength: 10_000, formatTail: 'Cn0' })).toString('base64url');
    expect(schema1PayloadDigest(bytes(`{"signatures":[{"protected":"${tooLong}"}]}`), 'sha256')).toBeUndefined();
  });
});
