/**
 * The benchmark's result document (written as JSON under `bench/results/`) and its text table. Targets come
 * from the performance issue; each is judged on figures measured in the same run.
 */
import type { ProxyCounts } from './proxy';
import { formatBytes, formatMs, formatRatio, table, type Summary } from './stats';

export interface Measured {
  ms: Summary;
  /** Registry requests of one view, as counted by the proxy (first run; `requestTotals` has every run). */
  requests?: ProxyCounts;
  requestTotals?: number[];
  [extra: string]: unknown;
}

export interface Target {
  id: string;
  label: string;
  value: number;
  limit: number;
  /** `max`: value must be ≤ limit; `min`: value must be ≥ limit. */
  kind: 'max' | 'min';
  unit: 'ms' | 'x' | 'requests' | 'bytes';
  met: boolean;
  note?: string;
}

export interface BenchResult {
  date: string;
  machine: Record<string, unknown>;
  options: Record<string, unknown>;
  seed: Record<string, unknown>;
  minimumRequests: Record<string, number>;
  measurements: Record<string, Measured | Record<string, unknown>>;
  targets: Target[];
  /** Problems seen while measuring (wrong answers, failures of a part). */
  problems: string[];
  durationMs: number;
}

export function target(t: Omit<Target, 'met'>): Target {
  const met = Number.isFinite(t.value) && (t.kind === 'max' ? t.value <= t.limit : t.value >= t.limit);
  return { ...t, met };
}

function show(value: number, unit: Target['unit']): string {
  if (unit === 'ms') return formatMs(value);
  if (unit === 'x') return formatRatio(value);
  if (unit === 'bytes') return formatBytes(value);
  return String(value);
}

/** Rows of figures (`label`, median, min–max, requests) and the targets, as printable text. */
export function renderReport(result: BenchResult): string {
  const figures: string[][] = [];
  for (const [label, m] of Object.entries(result.measurements)) {
    const measured = m as Measured;
    if (!measured.ms || typeof measured.ms !== 'object' || !('median' in measured.ms)) continue;
    figures.push([
      label,
      formatMs(measured.ms.median),
      `${formatMs(measured.ms.min)} – ${formatMs(measured.ms.max)}`,
      String(measured.ms.samples.length),
      measured.requests ? String(measured.requests.total) : '',
    ]);
  }
  const targets = result.targets.map((t) => [
    t.label,
    show(t.value, t.unit),
    `${t.kind === 'max' ? '≤' : '≥'} ${show(t.limit, t.unit)}`,
    t.met ? 'met' : 'MISSED',
    t.note ?? '',
  ]);
  return [
    table(['measurement (median)', 'median', 'range', 'runs', 'registry requests'], figures),
    '',
    table(['target', 'measured', 'limit', 'result', 'note'], targets),
    ...(result.problems.length ? ['', 'Problems:', ...result.problems.map((p) => `- ${p}`)] : []),
  ].join('\n');
}
