/**
 * Repositories recently opened by name on a source without a catalog, remembered in this browser
 * (localStorage, per source), newest first. Pure list logic plus a storage wrapper that never throws
 * (storage can be disabled or full).
 */
import { isValidRepository } from '@/lib/oci/reference';

/** How many names are kept per source. */
export const RECENT_LIMIT = 10;

export const recentStorageKey = (source: string) => `porthole.recent-repositories.${source}`;

/** `name` first, without duplicates, at most {@link RECENT_LIMIT}. */
export function addRecent(list: readonly string[], name: string): string[] {
  return [name, ...list.filter((n) => n !== name)].slice(0, RECENT_LIMIT);
}

/** Parses what storage holds; anything that is not a list of repository names is dropped. */
export function parseRecent(text: string | null): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string' && isValidRepository(n)).slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
}

export function readRecent(source: string): string[] {
  try {
    return parseRecent(localStorage.getItem(recentStorageKey(source)));
  } catch {
    return [];
  }
}

export function rememberRecent(source: string, name: string): void {
  try {
    localStorage.setItem(recentStorageKey(source), JSON.stringify(addRecent(readRecent(source), name)));
  } catch {
    // Storage disabled or full: the name is simply not remembered.
  }
}
