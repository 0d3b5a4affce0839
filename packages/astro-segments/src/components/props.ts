import { segmentsError, type SourceLocation } from '../segments-error.ts';
import { ConditionError, parseCondition, serializeCondition } from 'remark-segments/condition';
import { parsePageConfig } from '../page-config.ts';
import { closest, didYouMean } from '../suggest.ts';
import type { Conditions, DimensionName } from '../site-dimensions.ts';

/**
 * `<Segment>`'s props: `otherwise`, or conditions on the site's dimensions
 * (dimension name → value, list of values, or `!value` to negate), typed with
 * the site's own dimensions and values once Astro has generated its types.
 */
export type SegmentProps =
  | {
      /** Show this block when none of the segment blocks directly before it shows. */
      readonly otherwise: true;
    }
  | ({ readonly otherwise?: false } & Conditions);

export interface SegmentPageProps {
  /** Dimensions this page varies on: some of the site's declared dimensions. */
  dimensions: readonly DimensionName[];
  /** Why this page is personalized. */
  purpose: string;
  /** The metric this personalization should move. */
  kpi: string;
}

/** The marker's `data-when`, or null for an otherwise block. `location`: the page's file, for errors (page-files.ts). */
export function segmentAttribute(props: Readonly<SegmentProps>, location?: SourceLocation): string | null {
  const { otherwise, ...conditions } = props as Readonly<Record<string, unknown>>;
  // Astro passes its own attributes to components too (`data-astro-cid-*` on a page with scoped
  // styles): they are not conditions.
  const defined = Object.fromEntries(Object.entries(conditions).filter(([name, value]) => value !== undefined && !name.startsWith('data-astro-')));
  if (otherwise) {
    if (Object.keys(defined).length > 0) {
      throw segmentsError('<Segment otherwise> cannot also have conditions.', 'Remove the conditions, or drop `otherwise` and keep the conditions.', {
        location,
      });
    }
    return null;
  }
  for (const [name, value] of Object.entries(defined)) {
    if (typeof value === 'boolean') {
      // A bare attribute is most often a misspelled `otherwise`: say that rather than ask for a value.
      if (closest(name, ['otherwise']) !== undefined) {
        throw segmentsError(
          `<Segment ${name}> is not a condition: "${name}" is not a dimension, and the one attribute written without a value is otherwise.`,
          'Write <Segment otherwise> for the block that shows when none of the blocks just before it does.',
          { location },
        );
      }
      throw segmentsError(`<Segment ${name}> needs a value.`, `Write ${name}="a_value", ${name}={["a", "b"]} or ${name}="!a".`, { location });
    }
  }
  try {
    return serializeCondition(parseCondition(defined as Record<string, string | readonly string[]>));
  } catch (error) {
    if (error instanceof ConditionError) {
      throw segmentsError(
        `<Segment> has an invalid condition: ${error.message}.`,
        'Conditions look like audience="customer", audience={["a", "b"]} or audience="!customer".',
        { location },
      );
    }
    throw error;
  }
}

const PAGE_PROPS = ['dimensions', 'purpose', 'kpi'];

export function pageAttribute(props: Readonly<SegmentPageProps>, location?: SourceLocation): string {
  const result = parsePageConfig({ dimensions: props.dimensions, purpose: props.purpose, kpi: props.kpi });
  // A misspelled prop (`dimension`) is named with the likely one, not only as the one it left missing.
  const unknown = Object.keys(props)
    .filter((name) => !PAGE_PROPS.includes(name) && !name.startsWith('data-astro-'))
    .map((name) => `- ${name}: not a prop of <SegmentPage>.${didYouMean(name, PAGE_PROPS)} Its props are dimensions, purpose and kpi.`);
  if ('problems' in result || unknown.length > 0) {
    const lines = [
      ...unknown,
      ...('problems' in result ? result.problems : []).map((problem) => `- ${problem.key.replace(/^segments\./, '')}: ${problem.message}`),
    ];
    throw segmentsError(`<SegmentPage> has invalid props:\n${lines.join('\n')}`, 'Write <SegmentPage dimensions={["audience"]} purpose="…" kpi="…" />.', {
      location,
    });
  }
  return JSON.stringify({ dimensions: result.config.dimensions, purpose: result.config.purpose, kpi: result.config.kpi });
}
