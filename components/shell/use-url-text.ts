import { useEffect, useState } from 'react';

/**
 * The text of a filter box whose value is mirrored into the query string parameter `param`. The typed text
 * is the truth while typing: Next.js applies `history.replaceState` to `useSearchParams` asynchronously, so
 * syncing back from the URL on every change would drop keystrokes. The URL wins on back/forward (popstate);
 * link navigations to other parameters remount the view (pages key it by the parameter).
 */
export function useUrlText(initial: string, param: string): [string, (value: string) => void] {
  const [text, setText] = useState(initial);
  useEffect(() => {
    const onPop = () => setText(new URLSearchParams(window.location.search).get(param) ?? '');
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [param]);
  return [text, setText];
}
