import { describe, expect, it } from 'vitest';
import { addRecent, parseRecent, RECENT_LIMIT } from './recent-repositories';

describe('recent repositories', () => {
  it('puts the newest first, without duplicates, keeping at most the limit', () => {
    expect(addRecent(['a/b', 'c'], 'c')).toEqual(['c', 'a/b']);
    expect(addRecent([], 'x')).toEqual(['x']);
    const many = Array.from({ length: RECENT_LIMIT }, (_, i) => `r${i}`);
    const next = addRecent(many, 'new');
    expect(next).toHaveLength(RECENT_LIMIT);
    expect(next[0]).toBe('new');
    expect(next).not.toContain(`r${RECENT_LIMIT - 1}`);
  });

  it('reads only repository names back from storage', () => {
    expect(parseRecent(null)).toEqual([]);
    expect(parseRecent('not json')).toEqual([]);
    expect(parseRecent('{"a":1}')).toEqual([]);
    expect(parseRecent('["library/nginx", 3, "Bad/Name", "<script>"]')).toEqual(['library/nginx']);
  });
});
