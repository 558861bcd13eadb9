import { useEffect, useRef } from 'react';
import { debounce } from './debounce';

/**
 * `fn` debounced by `ms` for the life of the component: the latest `fn` runs (so it sees current props), and a
 * pending run is dropped on unmount (it must not write into the URL of the page navigated to).
 */
export function useDebounced<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  });
  const debounced = useRef<ReturnType<typeof debounce<A>> | null>(null);
  useEffect(() => () => debounced.current?.cancel(), []);
  return (...args: A) => {
    debounced.current ??= debounce((...a: A) => latest.current(...a), ms);
    debounced.current.call(...args);
  };
}
