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
 * plugin adds itself (`file`, `head`), so authors cannot write those.
 */
import type { z } from 'astro/zod';
import { PageConfigSchema } from './page-config.ts';

const FrontmatterSchema = PageConfigSchema.omit({ file: true, head: true });

/** The `segments` frontmatter object: `dimensions`, `purpose`, `kpi` and optional `overrides`. */
export type SegmentsFrontmatter = z.infer<typeof FrontmatterSchema>;

/**
 * A zod schema for a collection entry's `segments` frontmatter field. Use it
 * with `.optional()` when only some entries are personalized.
 *
 * @example
 * schema: z.object({ title: z.string(), segments: segmentsSchema().optional() })
 */
export function segmentsSchema(): typeof FrontmatterSchema {
  return FrontmatterSchema;
}
