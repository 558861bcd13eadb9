import { describe, expect, it } from 'vitest';
import { formatAbsolute, formatRelative } from './format';

describe('formatRelative', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  it('picks the largest fitting unit', () => {
    expect(formatRelative('2026-03-07T12:00:00Z', now, 'en')).toBe('3 days ago');
    expect(formatRelative('2026-03-10T10:00:00Z', now, 'en')).toBe('2 hours ago');
    expect(formatRelative('2025-03-10T12:00:00Z', now, 'en')).toBe('last year');
    expect(formatRelative('2026-03-10T11:59:50Z', now, 'en')).toBe('now');
    expect(formatRelative('2026-03-10T14:00:00Z', now, 'en')).toBe('in 2 hours');
  });
  it('returns nothing for a bad date', () => {
    expect(formatRelative('yesterday', now, 'en')).toBe('');
  });
});

describe('formatAbsolute', () => {
  it('formats a date with its year and keeps unparsable input', () => {
    expect(formatAbsolute('2026-01-15T10:00:00Z', 'en')).toContain('2026');
    expect(formatAbsolute('nope', 'en')).toBe('nope');
  });
});
