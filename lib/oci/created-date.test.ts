import { describe, expect, it } from 'vitest';
import { isPlaceholderDate, knownCreated } from './created-date';

describe('placeholder creation dates', () => {
  it('recognises the fixed times of reproducible builds', () => {
    for (const value of ['0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '1970-01-01T00:00:01Z', '1979-12-31T23:59:59Z']) {
      expect(isPlaceholderDate(value), value).toBe(true);
      expect(knownCreated(value), value).toBeNull();
    }
  });

  it('keeps real, missing and unreadable times as they are', () => {
    expect(knownCreated('2026-01-10T09:00:00Z')).toBe('2026-01-10T09:00:00Z');
    expect(knownCreated('1980-01-01T00:00:00Z')).toBe('1980-01-01T00:00:00Z');
    expect(isPlaceholderDate(null)).toBe(false);
    expect(isPlaceholderDate('not a date')).toBe(false);
    expect(knownCreated(null)).toBeNull();
  });
});
