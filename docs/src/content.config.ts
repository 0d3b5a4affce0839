import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { segmentsSchema } from 'astro-segments/schema';

export const collections = {
  // Starlight's docs collection, with the `segments` frontmatter of personalized pages.
  docs: defineCollection({
    loader: docsLoader(),
    schema: docsSchema({ extend: z.object({ segments: segmentsSchema().optional() }) }),
  }),
};
