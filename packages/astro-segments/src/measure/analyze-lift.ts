import type { CountRow } from './parse-counts.ts';
import { chiSquare1Survival, normalQuantile, twoSidedP } from './statistics.ts';

export interface LiftOptions {
  /** Share of eligible visitors the holdout assigns to control (they see the default). @default 0.5 */
  readonly controlShare?: number;
  /** Confidence level of the intervals. @default 0.95 */
  readonly confidence?: number;
  /** A sample-ratio p-value below this flags a mismatch. @default 0.001 */
  readonly srmAlpha?: number;
}

export interface GroupCounts {
  readonly visitors: number;
  readonly conversions: number;
  /** conversions / visitors, or null without visitors. */
  readonly rate: number | null;
}

export interface Lift {
  /** Treatment rate − control rate. */
  readonly absolute: number;
  readonly absoluteInterval: readonly [number, number];
  /** absolute / control rate, or null when the control rate is 0. */
  readonly relative: number | null;
  /** absoluteInterval / control rate (the control rate taken as known), or null. */
  readonly relativeInterval: readonly [number, number] | null;
  /** Two-sided p-value of the difference, with the same standard error as the interval. */
  readonly pValue: number;
}

export interface SampleRatio {
  readonly expectedControlShare: number;
  readonly observedControlShare: number;
  readonly chiSquare: number;
  readonly pValue: number;
  /** pValue < srmAlpha: the split is not what the holdout was set to, so the lift cannot be trusted. */
  readonly mismatch: boolean;
}

export interface VariantLift {
  readonly variant: string;
  readonly control: GroupCounts;
  readonly treatment: GroupCounts;
  /** Null when a group has no visitors. */
  readonly lift: Lift | null;
  /** Null without visitors. */
  readonly sampleRatio: SampleRatio | null;
  /** Caveats in plain words (few conversions, a missing group). */
  readonly notes: readonly string[];
}

/**
 * Lift of treatment over control per variant, with an interval, and a
 * sample-ratio-mismatch check.
 *
 * - Interval: normal approximation (Wald) for the difference of two
 *   independent proportions: d ± z·√(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀). The relative
 *   interval divides it by the control rate, treating that rate as known, so
 *   it excludes 0 exactly when the absolute one does.
 * - Sample ratio: chi-square goodness of fit of the observed control/treatment
 *   visitor counts against `controlShare`, one degree of freedom.
 *
 * Rows for the same variant and group are added up (daily exports, say).
 */
export function analyzeLift(rows: readonly CountRow[], options: LiftOptions = {}): VariantLift[] {
  const share = options.controlShare ?? 0.5;
  const confidence = options.confidence ?? 0.95;
  const alpha = options.srmAlpha ?? 0.001;
  if (!(share > 0 && share < 1)) throw new RangeError(`controlShare must be between 0 and 1 (exclusive), got ${share}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1 (exclusive), got ${confidence}`);
  const z = normalQuantile(1 - (1 - confidence) / 2);

  const totals = new Map<string, { control: [number, number]; treatment: [number, number]; seen: Set<string> }>();
  for (const row of rows) {
    const entry = totals.get(row.variant) ?? { control: [0, 0], treatment: [0, 0], seen: new Set<string>() };
    entry[row.group][0] += row.visitors;
    entry[row.group][1] += row.conversions;
    entry.seen.add(row.group);
    totals.set(row.variant, entry);
  }

  return [...totals].map(([variant, entry]) => {
    const notes: string[] = [];
    for (const group of ['control', 'treatment'] as const) if (!entry.seen.has(group)) notes.push(`no ${group} row`);
    const control = groupCounts(entry.control);
    const treatment = groupCounts(entry.treatment);
    const lift = control.rate === null || treatment.rate === null ? null : liftOf(control, treatment, z);
    if (lift) {
      const thin = [control, treatment].some((g) => g.conversions < 5 || g.visitors - g.conversions < 5);
      if (thin) notes.push('fewer than 5 conversions (or non-conversions) in a group: the normal approximation is rough, collect more data');
    } else if (entry.seen.size === 2) notes.push('a group has no visitors, so there is no lift to compute');
    return { variant, control, treatment, lift, sampleRatio: sampleRatioOf(control.visitors, treatment.visitors, share, alpha), notes };
  });
}

function groupCounts([visitors, conversions]: readonly [number, number]): GroupCounts {
  return { visitors, conversions, rate: visitors > 0 ? conversions / visitors : null };
}

function liftOf(control: GroupCounts, treatment: GroupCounts, z: number): Lift {
  const p0 = control.rate!;
  const p1 = treatment.rate!;
  const absolute = p1 - p0;
  const se = Math.sqrt((p1 * (1 - p1)) / treatment.visitors + (p0 * (1 - p0)) / control.visitors);
  const absoluteInterval = [absolute - z * se, absolute + z * se] as const;
  const pValue = se > 0 ? twoSidedP(absolute / se) : absolute === 0 ? 1 : 0;
  return {
    absolute,
    absoluteInterval,
    relative: p0 > 0 ? absolute / p0 : null,
    relativeInterval: p0 > 0 ? [absoluteInterval[0] / p0, absoluteInterval[1] / p0] : null,
    pValue,
  };
}

function sampleRatioOf(control: number, treatment: number, share: number, alpha: number): SampleRatio | null {
  const total = control + treatment;
  if (total === 0) return null;
  const expectedControl = total * share;
  const expectedTreatment = total * (1 - share);
  const chiSquare = (control - expectedControl) ** 2 / expectedControl + (treatment - expectedTreatment) ** 2 / expectedTreatment;
  const pValue = chiSquare1Survival(chiSquare);
  return { expectedControlShare: share, observedControlShare: control / total, chiSquare, pValue, mismatch: pValue < alpha };
}
