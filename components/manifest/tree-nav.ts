/**
 * Keyboard navigation of a flat ARIA tree (rows carry `aria-level`, no nested groups), following the WAI-ARIA
 * APG tree view pattern: Up/Down move, Right expands or enters, Left collapses or goes to the parent,
 * Home/End jump, Enter/Space activate. Focus is roving: only one row is in the tab order.
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/treeview/
 */
import { type KeyboardEvent, useCallback, useRef, useState } from 'react';

export interface TreeRow {
  id: string;
  parentId?: string;
  /** 1 for top-level rows. */
  level: number;
  /** Undefined for leaves. */
  expanded?: boolean;
}

/** A tree row with its place among its siblings (`aria-posinset`/`aria-setsize`): every rendered tree's rows. */
export interface PositionedTreeRow extends TreeRow {
  /** 1-based position among its siblings. */
  posinset: number;
  setsize: number;
}

export type TreeAction =
  | { type: 'focus'; id: string }
  | { type: 'toggle'; id: string; expand: boolean }
  | { type: 'activate'; id: string };

/** What a key press on row `id` does, or null when the key is not the tree's. */
export function treeKeyAction(rows: readonly TreeRow[], id: string, key: string): TreeAction | null {
  const index = rows.findIndex((r) => r.id === id);
  const row = rows[index];
  if (!row) return null;
  const at = (i: number) => rows[Math.max(0, Math.min(rows.length - 1, i))]!;
  switch (key) {
    case 'ArrowDown':
      return { type: 'focus', id: at(index + 1).id };
    case 'ArrowUp':
      return { type: 'focus', id: at(index - 1).id };
    case 'Home':
      return { type: 'focus', id: at(0).id };
    case 'End':
      return { type: 'focus', id: at(rows.length - 1).id };
    case 'ArrowRight':
      if (row.expanded === false) return { type: 'toggle', id, expand: true };
      if (row.expanded === true && rows[index + 1]?.parentId === id) return { type: 'focus', id: rows[index + 1]!.id };
      return { type: 'focus', id };
    case 'ArrowLeft':
      if (row.expanded === true) return { type: 'toggle', id, expand: false };
      return { type: 'focus', id: row.parentId ?? id };
    case 'Enter':
    case ' ':
      return { type: 'activate', id };
    default:
      return null;
  }
}

export interface TreeNavOptions {
  onToggle: (id: string, expand: boolean) => void;
  onActivate: (id: string) => void;
  /** Row in the tab order before the user focused any (e.g. the selected one). */
  defaultFocusId?: string;
}

/** Props for each row of a flat tree; spread them on the row element. */
export function useTreeNav(rows: readonly TreeRow[], { onToggle, onActivate, defaultFocusId }: TreeNavOptions) {
  const [focusId, setFocusId] = useState<string | null>(null);
  const elements = useRef(new Map<string, HTMLElement>());
  const has = (id: string | null | undefined) => !!id && rows.some((r) => r.id === id);
  const tabbable = has(focusId) ? focusId : has(defaultFocusId) ? defaultFocusId : rows[0]?.id;

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>, id: string) => {
      if (event.target !== event.currentTarget) return; // keys inside a row's own controls stay theirs
      const action = treeKeyAction(rows, id, event.key);
      if (!action) return;
      event.preventDefault();
      if (action.type === 'focus') {
        setFocusId(action.id);
        elements.current.get(action.id)?.focus();
      } else if (action.type === 'toggle') onToggle(action.id, action.expand);
      else onActivate(action.id);
    },
    [rows, onToggle, onActivate],
  );

  return (row: TreeRow & { selected?: boolean; posinset: number; setsize: number }) => ({
    role: 'treeitem' as const,
    'data-tree-id': row.id,
    'aria-level': row.level,
    'aria-posinset': row.posinset,
    'aria-setsize': row.setsize,
    'aria-expanded': row.expanded,
    'aria-selected': row.selected ?? false,
    tabIndex: row.id === tabbable ? 0 : -1,
    ref: (element: HTMLElement | null) => {
      if (element) elements.current.set(row.id, element);
      else elements.current.delete(row.id);
    },
    onFocus: () => setFocusId(row.id),
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => onKeyDown(event, row.id),
  });
}
