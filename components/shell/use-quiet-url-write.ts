import { useEffect, useRef } from 'react';
import { QuietWriter } from './quiet-writer';

/** After this long without a keystroke, the filter text is written into the URL. */
export const URL_WRITE_QUIET_MS = 300;

/** Typing into a text field (the filter itself): not a reason to write the pending text yet. */
function isTyping(event: KeyboardEvent): boolean {
  const target = event.target;
  return target instanceof HTMLInputElement && (target.type === 'search' || target.type === 'text');
}

/**
 * `write` (a URL update) for the latest value once typing pauses ({@link QuietWriter}). Written at once before
 * anything else the user does (a pointer down anywhere, a key outside a text field: a link, a row opened with
 * Enter, a sort), and when the page is hidden; dropped when the view unmounts (the URL is another page's then).
 * Returns the scheduling function and `flush`.
 */
export function useQuietUrlWrite<T>(write: (value: T) => void): { schedule: (value: T) => void; flush: () => void } {
  const latest = useRef(write);
  useEffect(() => {
    latest.current = write;
  });
  const writer = useRef<QuietWriter<T> | null>(null);
  useEffect(() => {
    const current = new QuietWriter<T>((value) => latest.current(value), URL_WRITE_QUIET_MS);
    writer.current = current;
    const flush = () => current.flush();
    const onKey = (event: KeyboardEvent) => {
      if (!isTyping(event)) current.flush();
    };
    window.addEventListener('pagehide', flush);
    window.addEventListener('pointerdown', flush, { capture: true });
    window.addEventListener('keydown', onKey, { capture: true });
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('pointerdown', flush, { capture: true });
      window.removeEventListener('keydown', onKey, { capture: true });
      current.cancel();
      writer.current = null;
    };
  }, []);
  return {
    // Before the effect ran (never, for a user's keystroke), write at once.
    schedule: (value: T) => (writer.current ? writer.current.schedule(value) : latest.current(value)),
    flush: () => writer.current?.flush(),
  };
}
