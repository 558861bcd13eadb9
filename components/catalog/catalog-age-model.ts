/** How old the kept catalog is, in words for the catalog page ("listed 40 s ago"). Pure (no DOM). */

/** "just now", "40 s ago", "3 min ago", "2 h ago", "5 d ago" for an age in milliseconds (clock skew reads as "just now"). */
export function formatAge(ageMs: number): string {
  const seconds = Math.floor(Math.max(0, ageMs) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** The age of a list read at `listedAt` (ISO 8601) at `now`. */
export function catalogAge(listedAt: string, now: number): string {
  const time = Date.parse(listedAt);
  return Number.isNaN(time) ? 'at an unknown time' : formatAge(now - time);
}
