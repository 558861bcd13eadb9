import { useEffect, useRef } from 'react';

/** Scrolls the element into view when `active` turns true (the tree's "show this layer"). */
export function useScrollIntoView<T extends HTMLElement>(active: boolean) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (active) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [active]);
  return ref;
}
