/**
 * A personalized document comes out of the renderer with every version in it.
 * What Astro stores and hands to everyone (`entry.rendered.html`, a `.md`
 * module's `compiledContent()`, loaders' `renderMarkdown`, feeds, search
 * services fed from the build) is its default version only: no marker, no
 * purpose or KPI, nothing a customer-only block says. The marked HTML travels
 * beside it (`metadata.astroSegments`) for the one consumer that slices it: the
 * page that renders the document.
 */
import type { MarkdownHeading } from 'astro';
import { hasMarkers } from '../markers.ts';
import { hiddenHeadings, preparePage } from '../prepare-page.ts';
import { renderAssignment } from '../slice.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import type { MarkedDocument } from './documents.ts';

/** The part of a Markdown renderer's result this module reads and writes. */
export interface RenderedMarkdown {
  readonly code: string;
  readonly metadata: { readonly headings: readonly MarkdownHeading[]; readonly [key: string]: unknown };
}

/** Metadata of a personalized document: the usual fields describe its default version. */
export interface PersonalizedMetadata {
  readonly astroSegments: MarkedDocument;
}

/**
 * Split a render into the default version (what the result now holds) and the
 * marked document (in `metadata.astroSegments`, and returned). A render with
 * no marker is returned as it is. Checks the blocks against the site's
 * dimensions on the way, so a mistake fails here, located in its file.
 */
export function splitPersonalized<R extends RenderedMarkdown>(
  result: R,
  source: string,
  options: ResolvedOptions,
): { result: R; marked: MarkedDocument | undefined } {
  if (!hasMarkers(result.code)) return { result, marked: undefined };
  const html = result.code;
  const prepared = preparePage(html, source, options);
  const defaults = Object.fromEntries(prepared.dimensions.map((dimension) => [dimension.name, dimension.default]));
  const code = renderAssignment(html, prepared.markers, prepared.blocks, defaults);
  const hidden = hiddenHeadings(prepared, code);
  const marked: MarkedDocument = { html, headings: result.metadata.headings };
  const metadata = { ...result.metadata, headings: result.metadata.headings.filter((heading) => !hidden.has(heading.slug)), astroSegments: marked };
  return { result: { ...result, code, metadata }, marked };
}
