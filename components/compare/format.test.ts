import { describe, expect, it } from 'vitest';
import type { CompareSide } from '@/lib/api/types';
import { formatDelta, sideLabel, sideRef } from './format';

const side = (source: string, repository: string, reference: string): CompareSide => ({ source, repository, reference, manifest: 'sha256:' + 'a'.repeat(64) });

describe('compare formatting', () => {
  it('signs size changes', () => {
    expect(formatDelta(1536)).toBe('+1.5 KiB');
    expect(formatDelta(-300)).toBe('−300 B');
    expect(formatDelta(0)).toBe('0 B');
  });

  it('names a side briefly in the page repository and fully elsewhere', () => {
    const digest = 'sha256:' + 'b'.repeat(64);
    expect(sideLabel(side('demo', 'data/etl/worker', '2026.05'), 'demo', 'data/etl/worker')).toBe('2026.05');
    expect(sideLabel(side('demo', 'data/etl/worker', digest), 'demo', 'data/etl/worker')).toBe(`${digest.slice(0, 19)}…`);
    expect(sideLabel(side('prod', 'team/app', 'v1'), 'demo', 'data/etl/worker')).toBe('prod/team/app:v1');
    expect(sideLabel(side('prod', 'team/app', digest), 'demo', 'x')).toBe(`prod/team/app@${digest.slice(0, 19)}…`);
    expect(sideRef(side('prod', 'team/app', digest), 'demo', 'x')).toBe(`prod/team/app@${digest}`);
    expect(sideRef(side('demo', 'x', 'v2'), 'demo', 'x')).toBe('v2');
  });
});
