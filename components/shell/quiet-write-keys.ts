/**
 * Whether a key press writes a pending filter into the URL at once. Typing into a text field (the filter
 * itself: letters, Backspace, arrows, Tab) does not; Enter does even there (it commits: a form submits, a
 * view may open its first match), and so does every key outside a text field (a link or row opened with
 * Enter, a sort, a selection), so the URL is right before whatever the key does next.
 */
export function keyWritesPending(key: string, inTextField: boolean): boolean {
  return !inTextField || key === 'Enter';
}
