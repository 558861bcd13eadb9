import { describe, expect, it } from 'vitest';
import { digestOf } from '@/lib/registry/testing/digest';
import { blobKey, manifestKey, parseKey, tocKey } from './keys';
import { verifyContent } from './verify';

const bytes = new TextEncoder().encode('content');
const digest = digestOf(bytes);

describe('verifyContent', () => {
  it('accepts manifest and blob bytes that hash to their digest, and nothing else', () => {
    expect(verifyContent(manifestKey(digest), bytes)).toBe(true);
    expect(verifyContent(blobKey(digest), bytes)).toBe(true);
    expect(verifyContent(blobKey(digest), new TextEncoder().encode('contenT'))).toBe(false);
  });

  it('does not hash-check derived content, and refuses keys outside the grammar', () => {
    expect(verifyContent(tocKey(digest), new TextEncoder().encode('anything'))).toBe(true);
    expect(verifyContent(tocKey(digest, 'checkpoints'), new Uint8Array())).toBe(true);
    expect(verifyContent(`other/${digest}`, bytes)).toBe(false);
    expect(verifyContent('manifest/sha256:short', bytes)).toBe(false);
    expect(parseKey(`manifest/${digest}/part`)).toBeUndefined();
    expect(parseKey(tocKey(digest, 'checkpoints'))).toEqual({ namespace: 'toc', digest, part: 'checkpoints' });
  });
});
