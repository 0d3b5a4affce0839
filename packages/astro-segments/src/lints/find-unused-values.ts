import type { CompiledSite } from '../compile-site.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import { makesDifference } from './compare-versions.ts';
import { targetedValues } from './find-dead-variants.ts';
import { CONFIG_FILE, lint, type Lint } from './lint.ts';

/**
 * Declared values no content uses: no page's blocks name them and no page
 * renders differently for them. Defaults are the full menu and always used.
 * A dimension with no used value at all gets one lint instead of one per value.
 */
export function findUnusedValues(site: CompiledSite, options: ResolvedOptions): Lint[] {
  const targeted = site.pages.map((page) => ({ page, values: targetedValues(page) }));
  const lints: Lint[] = [];
  for (const dimension of options.dimensions) {
    const unused = dimension.values.filter(
      (value) =>
        value.name !== dimension.default &&
        !targeted.some(
          ({ page, values }) => values.get(dimension.name)?.has(value.name) === true || makesDifference(page, site, options, dimension.name, value.name),
        ),
    );
    if (unused.length === 0) continue;
    if (unused.length === dimension.values.length - 1) {
      lints.push(
        lint(
          'unused-value',
          CONFIG_FILE,
          `dimensions.${dimension.name}: no page has content for any of its values (${unused.map((v) => v.name).join(', ')}), so every visitor gets ${dimension.default}.`,
          `Write blocks for these values on the pages they serve (:::segment{${dimension.name}="${unused[0]!.name}"}), or remove dimensions.${dimension.name} from astro.config.`,
        ),
      );
      continue;
    }
    for (const value of unused) {
      lints.push(
        lint(
          'unused-value',
          CONFIG_FILE,
          `dimensions.${dimension.name}.values.${value.name} is declared, but no page has content for it: its visitors get what ${dimension.default} (the default) gets.`,
          `Write blocks for it (:::segment{${dimension.name}="${value.name}"} or <Segment ${dimension.name}="${value.name}">), or remove the value from astro.config.`,
        ),
      );
    }
  }
  return lints;
}
