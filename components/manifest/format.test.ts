import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate, shortMediaType } from './format';

describe('format', () => {
  it('formats bytes like the tag table (powers of 1024) and unknown sizes as a dash', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(45 * 1024 * 1024)).toBe('45 MB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
  });

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
