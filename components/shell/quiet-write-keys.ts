/** The parts of a `keydown` that decide whether a pending filter is written at once. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/**
 * Whether a key press writes a pending filter into the URL at once. Typing into a text field (the filter
 * itself: letters, Backspace, arrows, Tab) does not. Everything else does, before the key takes effect, so the
 * URL is right for what follows: Enter even in the text field (it commits: a form submits, a view may open a
 * match), any key outside a text field (a link or row opened with Enter, a sort, a selection), a shortcut
 * (Ctrl/⌘/Alt: reload with Ctrl+R, back with Alt+←, the address bar with Ctrl+L) and a function key (F5).
 * Ctrl and Alt together are AltGr on Windows, which types characters such as `@` and `|`: still typing.
 */
export function keyWritesPending(press: KeyPress, inTextField: boolean): boolean {
  if (!inTextField || press.key === 'Enter' || /^F\d{1,2}$/.test(press.key)) return true;
  return press.metaKey || press.ctrlKey !== press.altKey;
}
