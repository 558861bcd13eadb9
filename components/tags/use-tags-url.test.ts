import { describe, expect, it } from 'vitest';
import { readTagsUrl } from './use-tags-url';

const params = (text: string) => new URLSearchParams(text);

describe('readTagsUrl', () => {
  it('reads filter, sort, folding and selection', () => {
    const state = readTagsUrl(params('q=v1&sort=-created&show=all&sel=a,b'));
    expect(state.query).toBe('v1');
    expect(state.sort).toEqual({ key: 'created', desc: true });
    expect(state.showAll).toBe(true);
    expect([...state.selected]).toEqual(['a', 'b']);
  });

  it('keeps the sort and the selection objects when only the filter text changed', () => {
    const before = readTagsUrl(params('sort=-created&sel=a,b'));
    const after = readTagsUrl(params('q=1.1&sort=-created&sel=b,a'), before);
    expect(after.query).toBe('1.1');
    expect(after.sort).toBe(before.sort);
    expect(after.selected).toBe(before.selected);
  });

  it('gives new objects when the sort or the selection changed', () => {
    const before = readTagsUrl(params('sort=-created&sel=a'));
    const after = readTagsUrl(params('sort=created&sel=a,b'), before);
    expect(after.sort).not.toBe(before.sort);
    expect(after.sort).toEqual({ key: 'created', desc: false });
    expect(after.selected).not.toBe(before.selected);
    expect([...after.selected]).toEqual(['a', 'b']);
  });
});
