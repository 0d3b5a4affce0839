import type { CompiledSite } from '../compile-site.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import { findDeadVariants } from './find-dead-variants.ts';
import { findOverPersonalization } from './find-over-personalization.ts';
import { findRelationshipSignals } from './find-relationship-signals.ts';
import { findSensitiveNames } from './find-sensitive-names.ts';
import { findShadowedRules } from './find-shadowed-rules.ts';
import { findUnusedValues } from './find-unused-values.ts';
import type { Lint } from './lint.ts';

export type { Lint } from './lint.ts';

/**
 * Check how the site personalizes. Pure: returns every finding, options first,
 * then pages in build order; the integration logs them as warnings, or fails
 * the build with all of them in `lints.strict` mode.
 */
export function lintSite(site: CompiledSite, options: ResolvedOptions): Lint[] {
  return [
    ...findShadowedRules(options),
    ...findRelationshipSignals(options),
    ...findSensitiveNames(options),
    ...findUnusedValues(site, options),
    ...site.pages.flatMap((page) => [...findDeadVariants(page, site, options), ...findOverPersonalization(page, options)]),
  ];
}
