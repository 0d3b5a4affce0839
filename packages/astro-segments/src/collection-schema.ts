/**
 * The `segments` frontmatter object as a schema for content collections, so a
 * collection's entries type and validate it like any other field:
 *
 *   import { defineCollection } from 'astro:content';
 *   import { z } from 'astro/zod';
 *   import { segmentsSchema } from 'astro-segments/schema';
 *
 *   const docs = defineCollection({
 *     loader: glob({ pattern: '**' + '/*.md', base: './src/content/docs' }),
 *     schema: z.object({ title: z.string(), segments: segmentsSchema().optional() }),
 *   });
 *
 * It is the schema the build checks pages with, less the two fields the remark
 * plugin adds itself (`file`, `head`), so authors cannot write those. Inside an
 * Astro command it also checks names against the site's declared dimensions,
 * so `astro sync` and `astro check` reject `dimensions: [audeince]` before any
 * build; its type uses the site's generated dimension types.
 */
import type { z } from 'astro/zod';
import { PageConfigSchema } from './page-config.ts';
import { declaredDimensions, type Conditions, type DimensionName } from './site-dimensions.ts';

/** The `segments` frontmatter object: `dimensions`, `purpose`, `kpi` and optional `overrides`. */
export interface SegmentsFrontmatter {
  /** Dimensions this entry varies on: some of the site's declared dimensions. */
  dimensions: DimensionName[];
  /** Why this entry is personalized. */
  purpose: string;
  /** The metric this personalization should move. */
  kpi: string;
  /** Per-variant head metadata; for each field the first matching entry wins. */
  overrides?: { when: Conditions; title?: string; description?: string; image?: string }[] | undefined;
}

const FrontmatterSchema = PageConfigSchema.omit({ file: true, head: true }).superRefine((value, context) => {
  const declared = declaredDimensions();
  if (!declared) return;
  const names = [...declared.keys()];
  const list = names.length > 0 ? names.map((name) => `"${name}"`).join(', ') : 'none yet';
  const unknownDimension = (name: string, path: (string | number)[]) =>
    context.addIssue({ code: 'custom', path, message: `"${name}" is not a dimension declared in segments({ dimensions }) (declared: ${list})` });
  value.dimensions.forEach((name, index) => {
    if (!declared.has(name)) unknownDimension(name, ['dimensions', index]);
  });
  value.overrides?.forEach((override, index) => {
    for (const [name, condition] of Object.entries(override.when)) {
      const values = declared.get(name);
      if (!values) {
        unknownDimension(name, ['overrides', index, 'when', name]);
        continue;
      }
      const items = (typeof condition === 'string' ? condition.split(',') : condition).map((item) => item.trim().replace(/^!/, ''));
      for (const item of items.filter((candidate) => candidate && !values.includes(candidate))) {
        context.addIssue({
          code: 'custom',
          path: ['overrides', index, 'when', name],
          message: `"${item}" is not a value of the dimension "${name}" (allowed: ${values.map((v) => `"${v}"`).join(', ')})`,
        });
      }
    }
  });
});

/**
 * A zod schema for a collection entry's `segments` frontmatter field. Use it
 * with `.optional()` when only some entries are personalized.
 *
 * @example
 * schema: z.object({ title: z.string(), segments: segmentsSchema().optional() })
 */
export function segmentsSchema(): z.ZodType<SegmentsFrontmatter> {
  return FrontmatterSchema as unknown as z.ZodType<SegmentsFrontmatter>;
}
