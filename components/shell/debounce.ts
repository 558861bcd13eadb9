/**
 * A trailing-edge debounce: `call` runs `fn` with the latest arguments once `ms` pass without another call.
 * `cancel` drops a pending run. Pure (timers only), so it is testable without a DOM.
 */
export interface Debounced<A extends unknown[]> {
  call: (...args: A) => void;
  cancel: () => void;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    call: (...args) => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        fn(...args);
      }, ms);
    },
    cancel: () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
