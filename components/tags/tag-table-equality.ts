/**
 * When the whole tag table can skip a re-render. Pure.
 */

/**
 * Equal when every prop that is not a function is the same value (`Object.is`). The table's callbacks are
 * rebuilt by the tags view on each render, but they act only on the rows (compared here) and on live state
 * (the URL, the dialogs): with the same rows, yesterday's callbacks do what today's would. So the renders a
 * filter keystroke causes besides the filtering itself (the typed text, Next.js syncing the search params
 * after the URL write) skip the table.
 */
export function sameTableContent(a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    const [x, y] = [left[key], right[key]];
    if (typeof x === 'function' && typeof y === 'function') continue;
    if (!Object.is(x, y)) return false;
  }
  return true;
}
