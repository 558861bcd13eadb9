import { describe, expect, it } from 'vitest';
import { catalogAge, formatAge } from './catalog-age-model';

describe('formatAge', () => {
  it('says seconds, minutes, hours and days, rounding down', () => {
    expect(formatAge(0)).toBe('just now');
    expect(formatAge(4_999)).toBe('just now');
    expect(formatAge(40_400)).toBe('40 s ago');
    expect(formatAge(60_000)).toBe('1 min ago');
    expect(formatAge(59 * 60_000 + 59_000)).toBe('59 min ago');
    expect(formatAge(3 * 3_600_000)).toBe('3 h ago');
    expect(formatAge(5 * 86_400_000)).toBe('5 d ago');
  });

  it('reads a list from the future (a clock ahead of the reader) as just now', () => {
    expect(formatAge(-30_000)).toBe('just now');
  });
});

describe('catalogAge', () => {
  it('measures from the ISO time the list was read', () => {
    expect(catalogAge('2026-01-01T00:00:00.000Z', Date.parse('2026-01-01T00:00:40.000Z'))).toBe('40 s ago');
    expect(catalogAge('not a date', 0)).toBe('at an unknown time');
  });
});
