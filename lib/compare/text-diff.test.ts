import { describe, expect, it } from 'vitest';
import { decodeText, MAX_EDIT_LENGTH, MAX_TEXT_DIFF_BYTES, textDiff } from './text-diff';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('textDiff', () => {
  it('gives unified hunks with three lines of context and counts', () => {
    const from = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const to = from.replace('line 10\n', 'line ten\n').replace('line 20\n', 'line 20\nline 21\n');
    const diff = textDiff(bytes(from), bytes(to));
    expect(diff.kind).toBe('diff');
    if (diff.kind !== 'diff') return;
    expect([diff.added, diff.removed]).toEqual([2, 1]);
    expect(diff.hunks).toHaveLength(2);
    expect(diff.hunks[0]).toMatchObject({ oldStart: 7, oldLines: 7, newStart: 7, newLines: 7 });
    expect(diff.hunks[0]!.lines.map((l) => `${l.kind[0]} ${l.text}`)).toEqual(['c line 7', 'c line 8', 'c line 9', 'r line 10', 'a line ten', 'c line 11', 'c line 12', 'c line 13']);
    expect(diff.hunks[1]!.lines.filter((l) => l.kind === 'added').map((l) => l.text)).toEqual(['line 21']);
  });

  it('drops the "no newline at end of file" marker', () => {
    const diff = textDiff(bytes('a\nb'), bytes('a\nc'));
    expect(diff.kind === 'diff' && diff.hunks[0]!.lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
  });

  it('says why it shows no diff: identical, binary, too large, too different', () => {
    expect(textDiff(bytes('same\n'), bytes('same\n'))).toEqual({ kind: 'identical' });
    expect(textDiff(bytes('text\n'), new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1]))).toEqual({ kind: 'binary' });
    expect(textDiff(new Uint8Array([0xc3, 0x28]), bytes('x'))).toEqual({ kind: 'binary' }); // not UTF-8
    expect(textDiff(new Uint8Array(MAX_TEXT_DIFF_BYTES + 1).fill(0x61), bytes('a'))).toEqual({ kind: 'too-large', limit: MAX_TEXT_DIFF_BYTES });
    const many = (prefix: string) => Array.from({ length: MAX_EDIT_LENGTH }, (_, i) => `${prefix}${i}`).join('\n');
    expect(textDiff(bytes(many('a')), bytes(many('b')))).toEqual({ kind: 'too-different', limit: MAX_EDIT_LENGTH });
  });

  it('decodes UTF-8 text and refuses NUL bytes', () => {
    expect(decodeText(bytes('grüße\n'))).toBe('grüße\n');
    expect(decodeText(new Uint8Array([0x61, 0, 0x62]))).toBeNull();
  });
});
