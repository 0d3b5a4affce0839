/**
 * Which file each page of the build comes from, by its route pattern (`/blog/[slug]` →
 * `src/pages/blog/[slug].astro`), so a component's mistake can name the page it is on.
 *
 * Without an adapter Astro finds that file in the error's stack; with one, prerendered pages
 * run from bundled code and the error printed only the route. The integration records the
 * pages at the start of a build, in this process; where pages prerender elsewhere (in workerd,
 * under @astrojs/cloudflare), there is no record and the error names the route only, as before.
 * Free of Node built-ins: components use it in every runtime.
 */
import type { SourceLocation } from '../segments-error.ts';

const PAGES = Symbol.for('astro-segments.page-files');
const slot = globalThis as { [PAGES]?: ReadonlyMap<string, string> | undefined };

/** During a build: each project page's file, relative to the project root, by route pattern. */
export function recordPageFiles(pages: ReadonlyMap<string, string> | undefined): void {
  slot[PAGES] = pages;
}

/** The file of the page whose route pattern is `pattern`, when the build recorded it. */
export function pageLocation(pattern: string | undefined): SourceLocation | undefined {
  const file = pattern === undefined ? undefined : slot[PAGES]?.get(pattern);
  return file === undefined ? undefined : { file };
}
