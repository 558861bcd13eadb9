import { describe, expect, it } from 'vitest';
import { comparePair, copyItemsOf } from './selection-actions';

const D = `sha256:${'d'.repeat(64)}` as const;

describe('selection actions', () => {
  it('copies each tag under its own name, pinned to the digest the table showed', () => {
    expect(copyItemsOf([{ name: 'v1', digest: D }, { name: 'v2', digest: null }])).toEqual([
      { reference: `:v1@${D}`, tag: 'v1', label: 'v1' },
      { reference: ':v2', tag: 'v2', label: 'v2' },
    ]);
  });

  it('compares exactly two tags, the older build first, else in the order given', () => {
    expect(comparePair([{ name: 'a', created: null }])).toBeUndefined();
    expect(comparePair([{ name: 'a', created: null }, { name: 'b', created: null }, { name: 'c', created: null }])).toBeUndefined();
    expect(comparePair([{ name: 'new', created: '2024-05-01T00:00:00Z' }, { name: 'old', created: '2023-01-01T00:00:00Z' }])).toEqual({ from: 'old', to: 'new' });
    expect(comparePair([{ name: 'old', created: '2023-01-01T00:00:00Z' }, { name: 'new', created: '2024-05-01T00:00:00Z' }])).toEqual({ from: 'old', to: 'new' });
    expect(comparePair([{ name: 'x', created: '2024-05-01T00:00:00Z' }, { name: 'y', created: null }])).toEqual({ from: 'x', to: 'y' });
  });
});
