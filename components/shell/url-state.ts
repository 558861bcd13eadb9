/**
 * View state (filter, sort, selection) lives in the query string. Typing into a filter replaces the current
 * history entry without a server round trip: Next.js syncs `useSearchParams` with `history.replaceState`
 * (see "Using the native History API" in the Next.js linking docs). Navigation between views uses links
 * and `router.push`, so back and forward move between views, not keystrokes.
 */
export function replaceUrl(href: string): void {
  if (href === window.location.pathname + window.location.search) return;
  window.history.replaceState(null, '', href);
}
