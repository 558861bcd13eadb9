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

describe('formatter reuse', () => {
  it('builds each Intl formatter once per locale, not once per date (a table formats dozens per keystroke)', () => {
    const { RelativeTimeFormat, DateTimeFormat } = Intl;
    const made = { relative: 0, absolute: 0 };
    // Counting subclasses: real formatters, so the results are checked too.
    const intl = Intl as { RelativeTimeFormat: typeof RelativeTimeFormat; DateTimeFormat: typeof DateTimeFormat };
    intl.RelativeTimeFormat = class extends RelativeTimeFormat {
      constructor(...args: ConstructorParameters<typeof RelativeTimeFormat>) {
        super(...args);
        made.relative++;
      }
    };
    intl.DateTimeFormat = class extends DateTimeFormat {
      constructor(...args: ConstructorParameters<typeof DateTimeFormat>) {
        super(...args);
        made.absolute++;
      }
    } as typeof DateTimeFormat;
    try {
      const now = Date.parse('2026-03-10T12:00:00Z');
      for (let day = 1; day <= 28; day++) {
        const iso = `2026-02-${String(day).padStart(2, '0')}T10:00:00Z`;
        expect(formatRelative(iso, now, 'fr')).toMatch(/il y a|dernier|semaine/);
        expect(formatAbsolute(iso, 'fr')).toContain('2026');
      }
      expect(made).toEqual({ relative: 1, absolute: 1 });
    } finally {
      intl.RelativeTimeFormat = RelativeTimeFormat;
      intl.DateTimeFormat = DateTimeFormat;
    }
  });
});
