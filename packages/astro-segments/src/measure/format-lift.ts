import type { LiftOptions, VariantLift } from './analyze-lift.ts';

const count = (n: number) => n.toLocaleString('en-US');
const percent = (rate: number | null, digits = 2) => (rate === null ? 'n/a' : `${(rate * 100).toFixed(digits)}%`);
const signed = (value: number, digits: number, unit = '') => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}${unit}`;
/** A p-value people can read: two significant digits, floored at 0.0001. */
export const formatP = (p: number) => (p < 0.0001 ? 'p < 0.0001' : `p = ${p >= 0.1 ? p.toFixed(2) : p.toPrecision(2)}`);

/** The CLI's report: one block per variant, a verdict on the split, and the method in one line. */
export function formatLift(results: readonly VariantLift[], options: Required<LiftOptions>): string {
  const level = `${Math.round(options.confidence * 1000) / 10}%`;
  const lines: string[] = [
    `${results.length} variant${results.length === 1 ? '' : 's'} · expected control share ${percent(options.controlShare, 1)} · ${level} intervals`,
  ];
  const width = Math.max(...results.flatMap((r) => [r.control.visitors, r.treatment.visitors]).map((n) => count(n).length), 1);
  const convWidth = Math.max(...results.flatMap((r) => [r.control.conversions, r.treatment.conversions]).map((n) => count(n).length), 1);
  for (const result of results) {
    lines.push('', result.variant);
    for (const group of ['control', 'treatment'] as const) {
      const g = result[group];
      lines.push(
        `  ${group.padEnd(10)} ${count(g.visitors).padStart(width)} visitors  ${count(g.conversions).padStart(convWidth)} conversions  ${percent(g.rate).padStart(7)}`,
      );
    }
    const lift = result.lift;
    if (lift) {
      const [low, high] = lift.absoluteInterval;
      let text = `  lift       ${signed(lift.absolute * 100, 2)} points (${level} CI ${signed(low * 100, 2)} to ${signed(high * 100, 2)})`;
      if (lift.relative !== null && lift.relativeInterval) {
        text += `, ${signed(lift.relative * 100, 1, '%')} relative (${signed(lift.relativeInterval[0] * 100, 1, '%')} to ${signed(lift.relativeInterval[1] * 100, 1, '%')})`;
      }
      lines.push(`${text}, ${formatP(lift.pValue)}`);
    }
    const split = result.sampleRatio;
    if (split) {
      const head = `  split      ${percent(split.observedControlShare, 1)} control, expected ${percent(split.expectedControlShare, 1)}: χ² = ${split.chiSquare.toFixed(2)}, ${formatP(split.pValue)}`;
      lines.push(
        split.mismatch
          ? `${head}: SAMPLE RATIO MISMATCH. The split is not what the holdout was set to (check --share, bucketing, bot filters, redirects); do not trust this lift until you know why.`
          : `${head}: ok`,
      );
    }
    for (const note of result.notes) lines.push(`  note       ${note}`);
  }
  lines.push(
    '',
    `Method: lift = treatment rate − control rate, ${level} interval by the normal approximation for a difference of two proportions (unpooled standard error); the relative interval divides it by the control rate. Split: chi-square goodness of fit (1 degree of freedom) against the expected control share; a mismatch is p < ${options.srmAlpha}.`,
  );
  return `${lines.join('\n')}\n`;
}
