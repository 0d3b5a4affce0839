/**
 * Types for `Astro.locals.segments`, generated from the site's own dimensions
 * and injected with Astro's `injectTypes` (into `.astro/integrations/astro-segments/`,
 * which `astro sync`, `astro dev` and `astro build` keep referenced from
 * `.astro/types.d.ts`).
 */
import type { ResolvedOptions } from '../validate-options.ts';

export const LOCALS_TYPES_FILE = 'locals.d.ts';

export function localsTypes(options: Pick<ResolvedOptions, 'dimensions'>): string {
  // Names are identifiers ([a-z][a-z0-9_]*), checked by the options schema: safe to print as is.
  const fields = options.dimensions.map((d) => `      readonly ${d.name}: ${d.values.map((v) => `'${v.name}'`).join(' | ')};`);
  return `declare namespace App {
  interface Locals {
    /**
     * astro-segments: the value of each dimension for this request, decided as the
     * router decides (preview, choice, remembered choice, GPC and bot policy, rules,
     * default). Reading a value makes the response vary on it: \`Cache-Control: private\`,
     * and the choice cookie when the request makes one.
     *
     * Only on on-demand pages; \`undefined\` on prerendered pages, which the build
     * slices instead (use <Segment> blocks there).
     */
    segments?: {
${fields.join('\n')}
    };
  }
}
`;
}
