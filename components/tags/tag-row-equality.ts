/**
 * When a tag row can skip a re-render. Pure.
 */
import type { CSSProperties } from 'react';

/** What a row shows; the row's other props are callbacks. */
export interface RowContent {
  id: string;
  source: string;
  repo: string;
  row: unknown;
  track: unknown;
  lanes: number;
  selected: boolean;
  active: boolean;
  detailsLoading: boolean;
  canDelete: boolean;
  style: CSSProperties;
}

const STYLE_KEYS = ['height', 'transform', 'gridTemplateColumns'] as const;

/**
 * Equal when what the row shows is equal. The callbacks are left out on purpose: the table rebuilds them on
 * every render from this row and its index (both compared here), and they act on live state (the URL, the
 * dialogs); so a typed filter character, which re-renders the table before the filtered rows exist,
 * re-renders no row.
 */
export function sameRowContent(a: RowContent, b: RowContent): boolean {
  return (
    a.row === b.row &&
    a.id === b.id &&
    a.source === b.source &&
    a.repo === b.repo &&
    a.track === b.track &&
    a.lanes === b.lanes &&
    a.selected === b.selected &&
    a.active === b.active &&
    a.detailsLoading === b.detailsLoading &&
    a.canDelete === b.canDelete &&
    STYLE_KEYS.every((key) => a.style[key] === b.style[key])
  );
}
