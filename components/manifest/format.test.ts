import { describe, expect, it } from 'vitest';
import { formatDate, shortMediaType } from './format';

describe('format', () => {
  it('formats dates in UTC and passes through garbage', () => {
    expect(formatDate('2024-05-01T12:34:56.789Z')).toBe('2024-05-01 12:34 UTC');
    expect(formatDate('2024-05-01T14:34:56+02:00')).toBe('2024-05-01 12:34 UTC');
    expect(formatDate('yesterday')).toBe('yesterday');
    expect(formatDate(undefined)).toBe('—');
    expect(formatDate('1970-01-01T00:00:00Z')).toBe('1970-01-01 00:00 UTC (placeholder: build time unknown)');
  });

  it('shortens vendor media types', () => {
    expect(shortMediaType('application/vnd.oci.image.manifest.v1+json')).toBe('oci.image.manifest.v1+json');
    expect(shortMediaType(undefined)).toBe('unknown media type');
  });
});
