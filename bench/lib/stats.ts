/** Small statistics for repeated measurements: medians and spread, nothing fancy. */

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max − min) / median, as a fraction: how far apart the repeats landed. */
  readonly spread: number;
  readonly n: number;
  readonly values: readonly number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const m = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: m, min, max, spread: m === 0 ? 0 : (max - min) / Math.abs(m), n: values.length, values };
}

/** Percentile of an already sorted array (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** `1234.5` → `1,235`; fractions keep `digits`. */
export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';

/** Median with its range: `12,345 (11,900–12,800)`. */
export const fmtRange = (s: Summary, digits = 0) =>
  s.n > 1 ? `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})` : fmt(s.median, digits);

/** A signed percentage: `+3.1 %`. */
export const pct = (fraction: number, digits = 1) => `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(digits)} %`;

export const pctRange = (s: Summary, digits = 1) =>
  s.n > 1 ? `${pct(s.median, digits)} (${pct(s.min, digits)} … ${pct(s.max, digits)})` : pct(s.median, digits);
