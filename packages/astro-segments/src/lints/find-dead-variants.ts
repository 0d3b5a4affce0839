import { deserializeCondition } from 'remark-segments/condition';
import type { CompiledPage, CompiledSite } from '../compile-site.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import { dimensionsOf, makesDifference } from './compare-versions.ts';
import { lint, type Lint } from './lint.ts';

/**
 * Values a page's own blocks name (in either polarity), by dimension. Optional
 * layout blocks (the notice) do not count. With `apartFrom`, a value named in
 * the same clause as its dimension's default (`region="us, intl"`) does not
 * count either: the author asked for it to look like the default.
 */
export function targetedValues(page: CompiledPage, apartFrom?: ResolvedOptions): Map<string, Set<string>> {
  const targeted = new Map<string, Set<string>>();
  for (const block of page.blocks) {
    if (block.when === null || block.optional) continue;
    for (const [dimension, clause] of Object.entries(deserializeCondition(block.when))) {
      const fallback = apartFrom?.dimensions.find((candidate) => candidate.name === dimension)?.default;
      if (fallback !== undefined && clause.values.includes(fallback)) continue;
      const values = targeted.get(dimension) ?? new Set<string>();
      for (const value of clause.values) values.add(value);
      targeted.set(dimension, values);
    }
  }
  return targeted;
}

/**
 * Dead variant: the page's blocks name a value apart from its default, yet
 * choosing it changes nothing a visitor sees compared with the default
 * (ignoring the notice, which differs by design).
 */
export function findDeadVariants(page: CompiledPage, site: CompiledSite, options: ResolvedOptions): Lint[] {
  const lints: Lint[] = [];
  const targeted = targetedValues(page, options);
  for (const dimension of dimensionsOf(page, options)) {
    for (const value of targeted.get(dimension.name) ?? []) {
      if (value === dimension.default || makesDifference(page, site, options, dimension.name, value)) continue;
      lints.push(
        lint(
          'dead-variant',
          page.source,
          `${page.route}: blocks target ${dimension.name}=${value}, but every version for ${value} renders like the one for ${dimension.default} (the default), so they change nothing.`,
          `Give ${value} content of its own in those blocks, or remove it from their conditions.`,
        ),
      );
    }
  }
  return lints;
}
