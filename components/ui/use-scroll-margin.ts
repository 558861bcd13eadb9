import { useLayoutEffect, useState, type RefObject } from 'react';

/**
 * Distance from the top of the document to `ref` (the `scrollMargin` of a window virtualiser), kept up to
 * date when content above the list changes height.
 */
export function useScrollMargin(ref: RefObject<HTMLElement | null>): number {
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setMargin(element.getBoundingClientRect().top + window.scrollY);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [ref]);
  return margin;
}
