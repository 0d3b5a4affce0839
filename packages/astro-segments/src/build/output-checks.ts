/**
 * What the build checks once the site is sliced and written: every document
 * that declares segments became a sliced page, and no file of the output still
 * holds a marker.
 */
import type { IntegrationResolvedRoute } from 'astro';
import type { AstroError } from 'astro/errors';
import type { CompiledSite } from '../compile-site.ts';
import { segmentsError } from '../segments-error.ts';
import { filesWithMarkers, holdsMarker } from './emitted-markers.ts';

/**
 * Belt and braces: a document that declares `segments` must have become a
 * sliced page. One that did not (no page renders it, or its processor never
 * ran the segment blocks) would ship unpersonalized without anyone noticing.
 * Sites with on-demand pages may show such a document only there.
 */
export function checkDeclaredSliced(declared: readonly string[], site: CompiledSite, routes: readonly IntegrationResolvedRoute[]): void {
  const sliced = new Set(site.pages.map((page) => page.source));
  const missing = declared.filter((file) => !sliced.has(file));
  if (missing.length === 0 || routes.some((route) => !route.isPrerendered && route.type === 'page' && route.origin !== 'internal')) return;
  throw segmentsError(
    `${missing.join(', ')} declare${missing.length === 1 ? 's' : ''} segments in the front matter, but no page of the build shows ${missing.length === 1 ? 'it' : 'them'} personalized, so ${missing.length === 1 ? 'it' : 'they'} would ship without the versions.`,
    'Render each one on a page (a content-collection entry needs a page that calls render(entry)), or remove segments from its front matter if it is not published. With mdx({ processor }) or extendMarkdownConfig: false, MDX files do not get segment blocks: use the site-wide markdown.processor.',
    { location: { file: missing[0]! } },
  );
}

function publishedMarkers(files: readonly string[]): AstroError {
  return segmentsError(
    `${files.join(', ')} still hold${files.length === 1 ? 's' : ''} segment markers after slicing: a page or endpoint published a personalized page or entry with every version in it (the output folder was removed).`,
    'Publish what Astro stores for an entry (entry.rendered.html, compiledContent()): that is its default version. An MDX entry has no stored HTML; leave personalized MDX out of feeds and other endpoints, or personalize it with <Segment> on a page. Rendering an entry with the container API (experimental_AstroContainer) gives every version too: publish entry.rendered.html instead.',
  );
}

/**
 * No file of the output may hold a marker. Every HTML page was just read by
 * compileSite and its personalized ones sliced: check what was written, and
 * read only the other files of `listing` (feeds, JSON, text: the output as
 * Astro wrote it, listed before slicing) again. The variant folder holds only
 * what the build wrote itself (write-site.ts refuses anything else there).
 */
export function checkNoMarkers(outDir: string, prefix: string, site: CompiledSite, listing: readonly string[]): void {
  const written: [string, string][] = [
    ...site.pages.map((page): [string, string] => [page.file, page.defaultHtml]),
    ...site.plain,
    ...[...site.files].map(([hash, html]): [string, string] => [`${prefix}/${hash}.html`, html]),
  ];
  const others = listing.filter((file) => !file.endsWith('.html') && !file.startsWith(`${prefix}/`));
  const leaks = [...written.filter(([, html]) => holdsMarker(html)).map(([file]) => file), ...filesWithMarkers(outDir, others)];
  if (leaks.length > 0) throw publishedMarkers(leaks);
}
