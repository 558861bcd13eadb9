/**
 * The line difference of two versions of a text file, as unified-diff hunks for the compare page. Bounded:
 * inputs larger than {@link MAX_TEXT_DIFF_BYTES} are not read, binary content is not diffed, and the diff
 * gives up (instead of taking seconds) past {@link MAX_EDIT_LENGTH} changed lines or a second of work. Pure; uses jsdiff
 * (`diff` on npm) for the Myers diff.
 */
import { structuredPatch } from 'diff';

/** Largest version of a file that is diffed (each side). */
export const MAX_TEXT_DIFF_BYTES = 256 * 1024;
/** Most inserted plus deleted lines jsdiff looks for before giving up (its cost grows with lines × edits). */
export const MAX_EDIT_LENGTH = 1000;
/** And at most this long, whatever the edit length (a page must not freeze). */
const TIMEOUT_MS = 1000;
/** Unchanged lines shown around each change. */
const CONTEXT = 3;
/** Bytes looked at for a NUL (what git and grep do to call a file binary). */
const SNIFF_BYTES = 8000;

export interface DiffLine {
  kind: 'context' | 'added' | 'removed';
  text: string;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

export type TextDiff =
  | { kind: 'diff'; hunks: DiffHunk[]; added: number; removed: number }
  | { kind: 'identical' }
  | { kind: 'binary' }
  | { kind: 'too-large'; limit: number }
  | { kind: 'too-different'; limit: number };

/** UTF-8 text without NUL bytes near the start (the check git uses), else null. */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** `from` → `to` as hunks; says why when it is not shown. */
export function textDiff(from: Uint8Array, to: Uint8Array): TextDiff {
  if (from.length > MAX_TEXT_DIFF_BYTES || to.length > MAX_TEXT_DIFF_BYTES) return { kind: 'too-large', limit: MAX_TEXT_DIFF_BYTES };
  const a = decodeText(from);
  const b = decodeText(to);
  if (a === null || b === null) return { kind: 'binary' };
  if (a === b) return { kind: 'identical' };
  const patch = structuredPatch('from', 'to', a, b, undefined, undefined, { context: CONTEXT, maxEditLength: MAX_EDIT_LENGTH, timeout: TIMEOUT_MS });
  if (!patch) return { kind: 'too-different', limit: MAX_EDIT_LENGTH };
  let added = 0;
  let removed = 0;
  const hunks = patch.hunks.map((hunk): DiffHunk => ({
    oldStart: hunk.oldStart,
    oldLines: hunk.oldLines,
    newStart: hunk.newStart,
    newLines: hunk.newLines,
    lines: hunk.lines
      // "\ No newline at end of file" markers are not lines of either version.
      .filter((line) => !line.startsWith('\\'))
      .map((line): DiffLine => {
        const kind = line[0] === '+' ? 'added' : line[0] === '-' ? 'removed' : 'context';
        if (kind === 'added') added++;
        if (kind === 'removed') removed++;
        return { kind, text: line.slice(1) };
      }),
  }));
  return { kind: 'diff', hunks, added, removed };
}
