/**
 * Creation dates that are not dates. Reproducible builds write a fixed time into the image config so that
 * the same sources give the same digest: ko writes `0001-01-01T00:00:00Z` (Go's zero time), nix and Bazel
 * `1970-01-01T00:00:01Z` / `1970-01-01T00:00:00Z` (`SOURCE_DATE_EPOCH=0` and friends). Read as a date they make
 * an image "2,027 years old", first to go under any age rule.
 *
 * Porthole treats every time before {@link PLACEHOLDER_BEFORE} as a placeholder, meaning "build time
 * unknown": the API shows `created: null` (with the raw value in `createdPlaceholder`), the UI says
 * "unknown", sorting puts it with undated tags, and cleanup's `olderThanDays` never deletes it (like an
 * undated tag). This module is the one place that decides; the API shaping, the UI and the cleanup planner
 * all call it.
 */

/** 1980-01-01T00:00:00Z: no container image was built before it (the ZIP/DOS epoch, also used by some tools). */
export const PLACEHOLDER_BEFORE = Date.UTC(1980, 0, 1);

/** True for a time that parses and lies before {@link PLACEHOLDER_BEFORE} (`0001-01-01…`, `1970-01-01…`). */
export function isPlaceholderDate(value: string | null | undefined): boolean {
  if (!value) return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && time < PLACEHOLDER_BEFORE;
}

/** The time as given, or null when it is missing or a placeholder. */
export function knownCreated(value: string | null | undefined): string | null {
  if (!value || isPlaceholderDate(value)) return null;
  return value;
}
