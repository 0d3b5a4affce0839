import { z } from 'astro/zod';
import { ConditionError, parseCondition, type Condition } from 'remark-segments/condition';
import { explainIssues } from './explain-option-issues.ts';

/** Head fields a page may override per variant, in frontmatter `segments.overrides`. */
export const HEAD_FIELDS = ['title', 'description', 'image'] as const;
export type HeadField = (typeof HEAD_FIELDS)[number];

const DIMENSIONS = 'list the dimensions the page varies on, e.g. dimensions: [audience]';
const PURPOSE = 'say why this page is personalized, e.g. purpose: Show customers their upgrade path';
const KPI = 'name the metric this personalization should move, e.g. kpi: Upgrade clicks';
const required = (fix: string) => (issue: { input: unknown }) => (issue.input === undefined ? `is missing: ${fix}` : `has the wrong type: ${fix}`);

const ConditionInput = z.record(z.string(), z.union([z.string(), z.array(z.string()).min(1)]));

/**
 * The `segments` object in a page's frontmatter (or `<SegmentPage>`'s props):
 *
 *   segments:
 *     dimensions: [audience]
 *     purpose: Show customers their upgrade path instead of the sign-up pitch
 *     kpi: Upgrade clicks
 *     overrides:
 *       - when: { audience: customer }
 *         title: Upgrade your plan
 */
export const PageConfigSchema = z
  .object({
    /** Source file, added by remark-segments (not written by authors). */
    file: z.string().nullable().optional(),
    /** Frontmatter head values the overrides replace, added by remark-segments. */
    head: z.object({ title: z.string(), description: z.string(), image: z.string() }).partial().optional(),
    /** Dimensions the page varies on. */
    dimensions: z.array(z.string(), { error: required(DIMENSIONS) }).min(1, DIMENSIONS),
    /** Why this page is personalized: what the visitor gains. */
    purpose: z
      .string({ error: required(PURPOSE) })
      .trim()
      .min(1, PURPOSE),
    /** What should move if the personalization works. */
    kpi: z
      .string({ error: required(KPI) })
      .trim()
      .min(1, KPI),
    /** Per-variant head metadata. For each field, the first matching entry wins. */
    overrides: z
      .array(
        z
          .object({
            when: ConditionInput,
            title: z.string().min(1).optional(),
            description: z.string().min(1).optional(),
            image: z.string().min(1).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export interface Override {
  readonly when: Condition;
  readonly fields: Partial<Record<HeadField, string>>;
  /**
   * On a page that shows several declarations (a listing that renders personalized entries),
   * the head of the entry that declared this override: it replaces that entry's own title, so it
   * applies only where the page's `<head>` shows it (the entry's own page), not the listing's.
   */
  readonly head?: Partial<Record<HeadField, string>>;
}

export interface PageConfig {
  readonly file: string | null;
  readonly dimensions: readonly string[];
  readonly purpose: string;
  readonly kpi: string;
  readonly head: Partial<Record<HeadField, string>>;
  readonly overrides: readonly Override[];
}

export interface ConfigProblem {
  /** Key path inside the frontmatter, e.g. `segments.purpose`. */
  readonly key: string;
  readonly message: string;
}

/** Validate one page's segments config. Returns the config or the problems found. */
export function parsePageConfig(input: unknown): { config: PageConfig } | { problems: ConfigProblem[] } {
  const parsed = PageConfigSchema.safeParse(input);
  if (!parsed.success) {
    return {
      problems: explainIssues(PageConfigSchema, input, parsed.error.issues, ['file', 'head']).map((problem) => ({
        key: problem.path === '(options)' ? 'segments' : `segments.${problem.path}`,
        message: problem.message,
      })),
    };
  }
  const problems: ConfigProblem[] = [];
  const overrides: Override[] = [];
  (parsed.data.overrides ?? []).forEach((entry, index) => {
    const { when, ...fields } = entry;
    try {
      overrides.push({ when: parseCondition(when), fields });
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      problems.push({ key: `segments.overrides[${index}].when`, message: error.message });
    }
  });
  if (problems.length > 0) return { problems };
  return {
    config: {
      file: parsed.data.file ?? null,
      dimensions: [...new Set(parsed.data.dimensions)],
      purpose: parsed.data.purpose,
      kpi: parsed.data.kpi,
      head: parsed.data.head ?? {},
      overrides,
    },
  };
}
