import { describe, expect, it } from 'vitest';
import { formatBytes as manifestFormat } from '@/components/manifest/format';
import { formatBytes as uiFormat } from '@/components/ui/format';
import { formatBytes } from './bytes';

describe('formatBytes', () => {
  it('uses powers of 1024 with IEC names and at most three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1.25 * 1024 * 1024)).toBe('1.25 MiB');
    expect(formatBytes(10.25 * 1024 * 1024)).toBe('10.3 MiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MiB');
    expect(formatBytes(300 * 1024 * 1024 * 1024)).toBe('300 GiB');
  });

  it('prints a dash for unknown and nonsensical sizes', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });

  it('is the formatter of every page (the CLI plan text is pinned in lib/cleanup/table.test.ts)', () => {
    for (const n of [0, 1023, 1536, 3 * 1024 * 1024 + 17, 123_456_789_012]) {
      expect(uiFormat(n)).toBe(formatBytes(n));
      expect(manifestFormat(n)).toBe(formatBytes(n));
    }
  });
});
