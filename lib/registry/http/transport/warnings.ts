import 'server-only';

/** Longest warning text kept (the spec caps a warning at 4096 bytes). */
const MAX_WARNING_LENGTH = 4096;
/** Distinct warnings remembered per registry; older ones are dropped first. */
const MAX_WARNINGS = 100;

/**
 * Extracts the texts of `Warning` header values: `299 - "text"`, several per line separated by commas.
 * @see https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#warnings
 */
export function parseWarnings(values: string[]): string[] {
  const texts: string[] = [];
  const pattern = /(\d{3})\s+\S+\s+"((?:[^"\\]|\\.)*)"/g;
  for (const value of values) {
    for (const match of value.matchAll(pattern)) {
      const text = match[2]!.replace(/\\(.)/g, '$1').slice(0, MAX_WARNING_LENGTH);
      if (text) texts.push(text);
    }
  }
  return texts;
}

/**
 * Collects registry warnings de-duplicated: each distinct text is reported to `onWarning` once and kept for
 * the caller (the UI shows them). Clients MUST NOT act on warnings automatically (spec), so nothing else happens.
 */
export class WarningLog {
  private readonly seen = new Set<string>();

  constructor(private readonly onWarning?: (warning: string) => void) {}

  add(text: string): void {
    if (this.seen.has(text)) return;
    if (this.seen.size >= MAX_WARNINGS) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.add(text);
    try {
      this.onWarning?.(text);
    } catch {
      // A failing listener must not fail the request that carried the warning.
    }
  }

  /** Every distinct warning so far, oldest first. */
  list(): string[] {
    return [...this.seen];
  }
}
