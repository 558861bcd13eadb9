import { describe, expect, it } from 'vitest';
import { formatMs, median, percentile, summarize, table } from './stats';

describe('stats', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
  });

  it('summarizes with rounded samples and range', () => {
    expect(summarize([10.04, 30.06, 20.01])).toEqual({ median: 20, min: 10, max: 30.1, samples: [10, 30.1, 20] });
  });

  it('formats durations by size', () => {
    expect(formatMs(12.34)).toBe('12.3 ms');
    expect(formatMs(123.4)).toBe('123 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(Number.NaN)).toBe('n/a');
  });

  it('pads table columns to the widest cell', () => {
    expect(table(['a', 'bb'], [['long', '1'], ['x', '22']]).split('\n')).toEqual(['a     bb', '----  --', 'long   1', 'x     22']);
  });
});
