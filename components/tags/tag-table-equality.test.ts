import { describe, expect, it } from 'vitest';
import { sameTableContent } from './tag-table-equality';

describe('sameTableContent', () => {
  const rows = [{ name: 'a' }];
  const selected = new Set<string>();
  const base = { rows, selected, detailsLoading: false, sort: { key: 'name', desc: false }, onToggle: () => undefined };

  it('ignores callbacks rebuilt on each render', () => {
    expect(sameTableContent(base, { ...base, onToggle: () => undefined })).toBe(true);
  });

  it('sees every change of what the table shows, by identity', () => {
    expect(sameTableContent(base, { ...base, rows: [...rows] })).toBe(false);
    expect(sameTableContent(base, { ...base, selected: new Set(selected) })).toBe(false);
    expect(sameTableContent(base, { ...base, detailsLoading: true })).toBe(false);
    expect(sameTableContent(base, { ...base, sort: { ...base.sort } })).toBe(false);
  });

  it('sees a prop that comes or goes, and a callback replaced by a value', () => {
    expect(sameTableContent(base, { ...base, canDelete: true })).toBe(false);
    const { detailsLoading: _dropped, ...without } = base;
    expect(sameTableContent(base, without)).toBe(false);
    expect(sameTableContent(base, { ...base, onToggle: undefined })).toBe(false);
  });
});
