import { describe, expect, it } from 'vitest';
import type { Digest } from '@/lib/oci/types';
import { forgetSeen, markSeen, recentlySeen } from './presence';

const digest = `sha256:${'a'.repeat(64)}` as Digest;
const other = `sha256:${'b'.repeat(64)}` as Digest;

function source(tagCacheMs = 60_000) {
  return { cache: { tagCacheMs } };
}

describe('presence records', () => {
  it('are per repository: seen in one says nothing about another of the same source', () => {
    const s = source();
    markSeen(s, 'team/b', digest);
    expect(recentlySeen(s, 'team/b', digest)).toBe(true);
    expect(recentlySeen(s, 'team/a', digest)).toBe(false);
    expect(recentlySeen(s, 'team/b', other)).toBe(false);
  });

  it('are per source object', () => {
    const one = source();
    markSeen(one, 'app', digest);
    expect(recentlySeen(source(), 'app', digest)).toBe(false);
  });

  it('expire after the tag cache time', () => {
    const s = source(1_000);
    markSeen(s, 'app', digest, 10_000);
    expect(recentlySeen(s, 'app', digest, 10_999)).toBe(true);
    expect(recentlySeen(s, 'app', digest, 11_000)).toBe(false);
  });

  it('a delete in one repository forgets the digest there only', () => {
    const s = source();
    markSeen(s, 'a', digest);
    markSeen(s, 'b', digest);
    forgetSeen(s, 'a', [digest]);
    expect(recentlySeen(s, 'a', digest)).toBe(false);
    expect(recentlySeen(s, 'b', digest)).toBe(true);
  });
});
