import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useImperativeHandle, useRef, type KeyboardEvent, type Ref } from 'react';
import { useListNavigation, type ListNavigationOptions } from './use-list-navigation';
import { useScrollMargin } from './use-scroll-margin';

/** What a virtual list offers its page: moving keyboard focus to the first row. */
export interface VirtualListHandle {
  focusFirst: () => void;
}

export interface VirtualListOptions extends Omit<ListNavigationOptions, 'reveal'> {
  estimateSize: (index: number) => number;
  overscan: number;
  /** The DOM id of row `index`, which gets focus when the keyboard moves to it. */
  rowId: (index: number) => string;
  ref?: Ref<VirtualListHandle> | undefined;
}

/**
 * A list virtualised against the window (10,000 rows stay smooth) with keyboard navigation: the container's
 * ref and key handler, the visible items, and the active row, which takes focus once the keyboard was used
 * (and keeps it while rows scroll in and out).
 */
export function useVirtualList<E extends HTMLElement>({ estimateSize, overscan, rowId, ref, ...navigation }: VirtualListOptions) {
  const containerRef = useRef<E>(null);
  const wantFocus = useRef(false);
  const scrollMargin = useScrollMargin(containerRef);
  const virtualizer = useWindowVirtualizer({
    count: navigation.count,
    estimateSize,
    overscan,
    scrollMargin,
    // Server rendering has no window: render the first screenful so the page is useful without JavaScript.
    initialRect: { width: 1280, height: 900 },
  });
  const nav = useListNavigation({ ...navigation, reveal: (i) => virtualizer.scrollToIndex(i, { align: 'auto' }) });
  useImperativeHandle(ref, () => ({
    focusFirst: () => {
      wantFocus.current = true;
      nav.first();
    },
  }));
  const items = virtualizer.getVirtualItems();
  const rangeKey = `${items[0]?.index ?? -1}:${items.length}`;
  useEffect(() => {
    if (!wantFocus.current || nav.active < 0) return;
    const row = document.getElementById(rowId(nav.active));
    if (row && !row.contains(document.activeElement)) row.focus({ preventScroll: true });
    // rowId is a pure naming function: a new one each render must not re-run this.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [nav.active, rangeKey]);
  const onKeyDown = (event: KeyboardEvent) => {
    wantFocus.current = true;
    nav.onKeyDown(event);
  };
  return { containerRef, scrollMargin, totalSize: virtualizer.getTotalSize(), items, nav, onKeyDown };
}
