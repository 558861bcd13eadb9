import { useEffect, useRef } from 'react';
import { keyWritesPending } from './quiet-write-keys';
import { QuietWriter } from './quiet-writer';

/** After this long without a keystroke, the filter text is written into the URL. */
export const URL_WRITE_QUIET_MS = 300;

/** A text field (the filter itself): typing there is not a reason to write the pending text yet. */
function inTextField(event: KeyboardEvent): boolean {
  const target = event.target;
  return target instanceof HTMLInputElement && (target.type === 'search' || target.type === 'text');
}

/**
 * `write` (a URL update) for the latest value once typing pauses ({@link QuietWriter}). Written at once before
 * anything else the user does (a pointer down anywhere, Enter, a shortcut such as Ctrl+R, a key outside a text
 * field: a link, a row opened with Enter, a sort; see {@link keyWritesPending}), and when the page is hidden;
 * dropped on back/forward (the URL of the entry moved to wins, and the write must not land on it) and when the
 * view unmounts (the URL is another page's then).
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
      if (keyWritesPending(event, inTextField(event))) current.flush();
    };
    const cancel = () => current.cancel();
    window.addEventListener('pagehide', flush);
    window.addEventListener('popstate', cancel);
    window.addEventListener('pointerdown', flush, { capture: true });
    window.addEventListener('keydown', onKey, { capture: true });
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('popstate', cancel);
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
