import { describe, expect, it } from 'vitest';
import { keyWritesPending, type KeyPress } from './quiet-write-keys';

const press = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, altKey: false, metaKey: false, ...modifiers });

describe('keyWritesPending', () => {
  it('keeps the write pending while typing in a text field', () => {
    for (const key of ['a', 'A', '/', ' ', 'Backspace', 'Delete', 'ArrowDown', 'End', 'Tab', 'Escape', 'Shift', 'F']) {
      expect(keyWritesPending(press(key), true), key).toBe(false);
    }
  });

  it('treats Ctrl+Alt (AltGr on Windows: @, |, {) as typing', () => {
    expect(keyWritesPending(press('@', { ctrlKey: true, altKey: true }), true)).toBe(false);
  });

  it('writes at once for Enter in a text field (it commits)', () => {
    expect(keyWritesPending(press('Enter'), true)).toBe(true);
  });

  it('writes at once for shortcuts and function keys in a text field (reload, back, address bar)', () => {
    expect(keyWritesPending(press('r', { ctrlKey: true }), true)).toBe(true);
    expect(keyWritesPending(press('r', { metaKey: true }), true)).toBe(true);
    expect(keyWritesPending(press('l', { ctrlKey: true }), true)).toBe(true);
    expect(keyWritesPending(press('ArrowLeft', { altKey: true }), true)).toBe(true);
    expect(keyWritesPending(press('F5'), true)).toBe(true);
    expect(keyWritesPending(press('F12'), true)).toBe(true);
  });

  it('writes at once for any key outside a text field (a row opened, a sort, a selection)', () => {
    for (const key of ['Enter', ' ', 'ArrowDown', 'a']) expect(keyWritesPending(press(key), false), key).toBe(true);
  });
});
