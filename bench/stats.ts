/** Small statistics and formatting helpers of the benchmark (pure). */

/** The median of `values` (mean of the two middle values for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The `p`-th percentile (0..100), nearest-rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

/** Median, min, max and the raw samples (rounded to 0.1 ms) of repeated measurements. */
export function summarize(samples: readonly number[]): Summary {
  const rounded = samples.map((s) => Math.round(s * 10) / 10);
  return {
    median: Math.round(median(samples) * 10) / 10,
    min: rounded.length ? Math.min(...rounded) : Number.NaN,
    max: rounded.length ? Math.max(...rounded) : Number.NaN,
    samples: rounded,
  };
}

/** `1234.5` → `1.23 s`, `12.3` → `12.3 ms`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** Sizes as the pages and the CLI print them. */
export { formatBytes } from '@/lib/text/bytes';

/** A ratio with two decimals and an `x`. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : 'n/a';
}

/** Renders rows as a plain-text table with a header rule, columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
