import { describe, expect, it } from 'vitest';
import { keyWritesPending } from './quiet-write-keys';

describe('keyWritesPending', () => {
  it('keeps the write pending while typing in a text field', () => {
    for (const key of ['a', '/', 'Backspace', 'ArrowDown', 'Tab', 'Escape', 'Shift']) expect(keyWritesPending(key, true)).toBe(false);
  });

  it('writes at once for Enter in a text field (it commits)', () => {
    expect(keyWritesPending('Enter', true)).toBe(true);
  });

  it('writes at once for any key outside a text field (a row opened, a sort, a selection)', () => {
    for (const key of ['Enter', ' ', 'ArrowDown', 'a']) expect(keyWritesPending(key, false)).toBe(true);
  });
});
