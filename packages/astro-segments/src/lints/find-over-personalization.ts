import type { CompiledPage } from '../compile-site.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import { lint, type Lint } from './lint.ts';

/** More personalized blocks on one page than its one purpose plausibly needs. Layout-wide optional blocks do not count. */
export function findOverPersonalization(page: CompiledPage, options: ResolvedOptions): Lint[] {
  const count = page.blocks.filter((block) => !block.optional).length;
  const max = options.lints.maxBlocksPerPage;
  if (count <= max) return [];
  return [
    lint(
      'over-personalization',
      page.source,
      `${page.route} has ${count} personalized blocks, more than lints.maxBlocksPerPage (${max}) for its one purpose ("${page.purpose}").`,
      `Personalize only what serves that purpose, split the page by audience, or raise lints.maxBlocksPerPage if every block earns its place.`,
    ),
  ];
}
