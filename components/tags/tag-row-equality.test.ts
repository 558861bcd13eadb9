import { describe, expect, it } from 'vitest';
import { sameRowContent, type RowContent } from './tag-row-equality';

const row = { tag: { name: 'v1' }, depth: 0, folded: 0 };
const track = { segments: [] };

function props(extra: Partial<RowContent> = {}): RowContent & { onToggle: () => void } {
  return {
    id: 'tag-row-3',
    source: 'hub',
    repo: 'team/api',
    row,
    track,
    lanes: 1,
    selected: false,
    active: false,
    detailsLoading: false,
    canDelete: true,
    style: { height: 44, transform: 'translateY(132px)', gridTemplateColumns: '1fr 2fr' },
    // A new function each time, as the table makes them.
    onToggle: () => {},
    ...extra,
  };
}

describe('sameRowContent', () => {
  it('skips a re-render when only the callbacks and the style object are new', () => {
    expect(sameRowContent(props(), props())).toBe(true);
  });

  it('re-renders when anything the row shows changes', () => {
    const changes: Partial<RowContent>[] = [
      { row: { ...row } },
      { id: 'tag-row-4' },
      { track: { segments: [] } },
      { lanes: 2 },
      { selected: true },
      { active: true },
      { detailsLoading: true },
      { canDelete: false },
      { style: { height: 44, transform: 'translateY(176px)', gridTemplateColumns: '1fr 2fr' } },
      { style: { height: 44, transform: 'translateY(132px)', gridTemplateColumns: '1fr 3fr' } },
    ];
    for (const change of changes) expect(sameRowContent(props(), props(change)), JSON.stringify(change)).toBe(false);
  });
});
