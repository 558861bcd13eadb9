import { describe, expect, it } from 'vitest';
import { blobKey, manifestKey, tocKey } from '@/lib/registry/cache/keys';
import { keyOfRelativePath, relativePathOf } from './key-path';

const HEX = '3f'.repeat(32);
const DIGEST = `sha256:${HEX}`;

describe('disk tier paths', () => {
  it('maps every kind of key to a path and back', () => {
    expect(relativePathOf(manifestKey(DIGEST))).toBe(`manifest/sha256/3f/${HEX}`);
    expect(relativePathOf(tocKey(DIGEST, 'checkpoints'))).toBe(`toc/sha256/3f/${HEX}.checkpoints`);
    for (const key of [manifestKey(DIGEST), blobKey(DIGEST), tocKey(DIGEST), tocKey(DIGEST, 'checkpoints')]) {
      expect(keyOfRelativePath(relativePathOf(key))).toBe(key);
    }
  });

  it('refuses keys outside the grammar and ignores files that are not entries', () => {
    for (const key of ['manifest/../../etc/passwd', `other/${DIGEST}`, 'manifest/sha256:abc', `blob/${DIGEST}/part`, `toc/${DIGEST}/../x`]) {
      expect(() => relativePathOf(key)).toThrow(/not a content store key/);
    }
    expect(keyOfRelativePath(`manifest/sha256/aa/${HEX}`)).toBeUndefined();
    expect(keyOfRelativePath(`manifest/sha256/3f/${HEX}.partial`)).toBeUndefined();
    expect(keyOfRelativePath('tmp/123-abc')).toBeUndefined();
  });
});
