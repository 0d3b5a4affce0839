/**
 * A personalized document comes out of the renderer with every version in it.
 * What Astro stores and hands to everyone (`entry.rendered.html`, a `.md`
 * module's `compiledContent()`, loaders' `renderMarkdown`, feeds, search
 * services fed from the build) is its default version only: no marker, no
 * purpose or KPI, nothing a customer-only block says. The marked HTML travels
 * beside it (`metadata.astroSegments`) for the one consumer that slices it: the
 * page that renders the document.
 *
 * Beside it, the marked HTML is kept as what it adds to the default version
 * (its markers, the page's declaration and the other versions' blocks), not
 * whole: Astro stores a collection's entries as one module that the build
 * compiles in time that grows faster than its size (V8, one string literal:
 * twice the bytes took five times as long), so every byte stored per entry
 * costs a large site more than its share.
 */
import type { MarkdownHeading } from 'astro';
import { hasMarkers } from '../markers.ts';
import { hiddenHeadings, preparePage } from '../prepare-page.ts';
import { assignmentCuts, renderCuts, type Cut } from '../slice.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import type { MarkedDocument } from './documents.ts';
import { withInsertions, type Insertions } from './insertions.ts';

/** The part of a Markdown renderer's result this module reads and writes. */
export interface RenderedMarkdown {
  readonly code: string;
  readonly metadata: { readonly headings: readonly MarkdownHeading[]; readonly [key: string]: unknown };
}

/**
 * Metadata of a personalized document: the usual fields describe its default version;
 * `astroSegments` holds every version's headings and the marked HTML, as insertions into
 * the default HTML of `base` characters (`render-entry.ts` makes them), or whole where it is
 * not the default version plus insertions (island scripts moved).
 */
export interface PersonalizedMetadata {
  readonly astroSegments: StoredMarkedDocument;
}

export type StoredMarkedDocument = Pick<MarkedDocument, 'headings'> & ({ readonly base: number; readonly insert: Insertions } | Pick<MarkedDocument, 'html'>);

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
  const cuts = assignmentCuts(html, prepared.markers, prepared.blocks, defaults);
  const code = renderCuts(html, cuts);
  const hidden = hiddenHeadings(prepared, code);
  const marked: MarkedDocument = { html, headings: result.metadata.headings };
  const insert = insertionsOf(html, cuts);
  // Checked here, where a mismatch costs bytes only: the page gets its marked HTML whole then.
  const stored: StoredMarkedDocument = withInsertions(code, insert) === html ? { base: code.length, insert, headings: marked.headings } : marked;
  const metadata = { ...result.metadata, headings: result.metadata.headings.filter((heading) => !hidden.has(heading.slug)), astroSegments: stored };
  return { result: { ...result, code, metadata }, marked };
}

/** What `cuts` remove from `html`, as insertions into the text they leave. */
function insertionsOf(html: string, cuts: readonly Cut[]): Insertions {
  const insert: (number | string)[] = [];
  // Where the next insertion goes in the default version, and how far `html` has been read.
  let at = 0;
  let read = 0;
  const add = (text: string) => {
    if (!text) return;
    if (insert.at(-2) === at) insert[insert.length - 1] += text;
    else insert.push(at, text);
  };
  for (const cut of [...cuts].sort((a, b) => a.start - b.start)) {
    at += cut.start - read;
    add(html.slice(cut.start, cut.keptStart));
    at += cut.keptEnd - cut.keptStart;
    add(html.slice(cut.keptEnd, cut.end));
    read = cut.end;
  }
  return insert;
}
