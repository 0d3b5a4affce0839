import { escapeHtml } from './escape-html.ts';
import { deserializeCondition, matches, type Assignment, type Condition } from 'remark-segments/condition';
import { applyEdits, type Edit } from './apply-edits.ts';
import { placeIslandScripts, withoutIslandScripts } from './islands.ts';
import type { Block, Markers } from './markers.ts';
import type { HeadField, PageConfig } from './page-config.ts';
import type { ResolvedDimension } from './validate-options.ts';

/** A block with its condition resolved: `unless` lists the conditions of the run an otherwise block closes. */
export interface ResolvedBlock extends Block {
  readonly condition: Condition | null;
  readonly unless: readonly Condition[];
}

/** A condition no assignment satisfies: no dimension is named ''. */
const NEVER: Condition = { '': { values: [], negate: false } };

export class SliceError extends Error {
  override name = 'SliceError';
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

/**
 * Resolve every block's condition and check it against the page's dimensions.
 *
 * An otherwise block closes the run of segment blocks directly before it (only
 * whitespace between them) that decide the same question: the run ends at a
 * block sharing no dimension with the nearest one. So campaign badges placed
 * right before audience blocks do not swallow the audience fallback:
 *
 *   <Segment campaign="spring">badge</Segment>
 *   <Segment audience="customer">A</Segment>
 *   <Segment otherwise>B</Segment>        ← B when audience is not customer
 */
export function resolveBlocks(html: string, markers: Markers, page: PageConfig, site: readonly ResolvedDimension[]): ResolvedBlock[] {
  const resolved: ResolvedBlock[] = [];
  markers.blocks.forEach((block, index) => {
    checkNoServerIsland(html, block);
    if (block.when !== null) {
      const condition = deserializeCondition(block.when);
      if (block.optional && Object.keys(condition).some((dimension) => !page.dimensions.includes(dimension))) {
        resolved.push({ ...block, condition: NEVER, unless: [] });
        return;
      }
      checkCondition(condition, page, site);
      resolved.push({ ...block, condition, unless: [] });
      return;
    }
    const run: Condition[] = [];
    let question: ReadonlySet<string> | undefined;
    for (let previous = index - 1; previous >= 0; previous--) {
      const before = resolved[previous]!;
      const next = markers.blocks[previous + 1]!;
      // Astro writes an island's scripts before the <Segment> that holds it: they do not separate blocks.
      if (withoutIslandScripts(html.slice(before.end, next.start)).trim() !== '' || before.condition === null) break;
      const dimensions = Object.keys(before.condition);
      question ??= new Set(dimensions);
      if (!dimensions.some((dimension) => question!.has(dimension))) break;
      run.unshift(before.condition);
    }
    if (run.length === 0) {
      throw new SliceError(
        'An otherwise block does not follow a segment block, so there is nothing it could be the otherwise of.',
        'Place <Segment otherwise> (or :::segment{otherwise}) directly after the <Segment> blocks it completes, with nothing but whitespace between them.',
      );
    }
    resolved.push({ ...block, condition: null, unless: run });
  });
  return resolved;
}

/** What Astro writes where a server island (`server:defer`) starts (`runtime/server/render/server-islands-shared.js`). */
const SERVER_ISLAND_START = '<!--[if astro]>server-island-start<![endif]-->';

/**
 * A server island inside a block would reach visitors the block hides: Astro puts a preload
 * of the island's URL, its props and slots encrypted in it, in the page's `<head>`, so every
 * version would fetch the island's content, and its loader script is written once, where the
 * first island is.
 */
function checkNoServerIsland(html: string, block: Block): void {
  const at = html.indexOf(SERVER_ISLAND_START, block.innerStart);
  if (at < 0 || at >= block.innerEnd) return;
  throw new SliceError(
    'A server island (a component with server:defer) is inside a segment block. Astro puts a preload of its URL, with its props, in the <head> of the page, so every version of the page would fetch what this island shows, including visitors the block is hidden from.',
    'Move the server:defer component out of the segment block (a server island renders per request and can choose what to show itself), or render the component inside the block without server:defer.',
  );
}

function checkCondition(condition: Condition, page: PageConfig, site: readonly ResolvedDimension[]): void {
  for (const [dimension, clause] of Object.entries(condition)) {
    const declared = site.find((candidate) => candidate.name === dimension);
    if (!declared) {
      throw new SliceError(
        `A segment block uses the dimension "${dimension}", which is not declared in the segments() options.`,
        `Use one of the declared dimensions (${site.map((d) => d.name).join(', ')}), or declare "${dimension}" in astro.config.`,
      );
    }
    if (!page.dimensions.includes(dimension)) {
      throw new SliceError(
        `A segment block uses the dimension "${dimension}", but the page does not declare that it varies on it.`,
        `Add "${dimension}" to the page's segments.dimensions (frontmatter) or to <SegmentPage dimensions={[...]}>.`,
      );
    }
    for (const value of clause.values) {
      if (!declared.values.some((candidate) => candidate.name === value)) {
        throw new SliceError(
          `A segment block uses "${dimension}=${value}", but "${value}" is not a value of "${dimension}".`,
          `Use one of ${declared.values.map((v) => v.name).join(', ')}, or add "${value}" to dimensions.${dimension}.values.`,
        );
      }
    }
  }
}

function isVisible(block: ResolvedBlock, assignment: Assignment): boolean {
  return block.condition !== null ? matches(block.condition, assignment) : !block.unless.some((c) => matches(c, assignment));
}

/** Does `block` show in the version for `assignment`? Optional blocks see `optionalAssignment` (null hides them). */
function shows(block: ResolvedBlock, assignment: Assignment, optionalAssignment: Assignment | null): boolean {
  const seen = block.optional ? optionalAssignment : assignment;
  return seen !== null && isVisible(block, seen);
}

/** The position in `page.overrides` of the override that sets `field` for `assignment`, or -1. */
function overrideOf(page: PageConfig, field: HeadField, assignment: Assignment): number {
  return page.overrides.findIndex((entry) => entry.fields[field] !== undefined && matches(entry.when, assignment));
}

/**
 * What decides a version's HTML (see `renderPage`): which blocks show, and which
 * head override applies to each field. Combinations with the same key render the
 * same page, so each key is rendered once; telling them apart by their HTML
 * instead meant rendering and hashing the whole page for every combination.
 */
export function versionKey(blocks: readonly ResolvedBlock[], page: PageConfig, assignment: Assignment, optionalAssignment: Assignment | null): string {
  let key = '';
  for (const block of blocks) key += shows(block, assignment, optionalAssignment) ? '1' : '0';
  if (page.overrides.length === 0) return key;
  for (const field of Object.keys(META_NAMES) as HeadField[]) {
    key += `,${overrideOf(page, field, assignment)}`;
  }
  return key;
}

/**
 * The page's HTML for one assignment: visible blocks unwrapped, hidden blocks
 * and page markers removed. A marker that sits on lines of its own (as remark's
 * output does) takes its line break with it, so the result matches what a
 * hand-written page for that segment renders.
 */
export function renderAssignment(
  html: string,
  markers: Markers,
  blocks: readonly ResolvedBlock[],
  assignment: Assignment,
  /** What optional blocks see; null hides them all. See `effectiveAssignment`. */
  optionalAssignment: Assignment | null = assignment,
): string {
  return renderCuts(html, assignmentCuts(html, markers, blocks, assignment, optionalAssignment));
}

/** The version `cuts` (from `assignmentCuts`) make of `html`, island scripts placed where it needs them. */
export function renderCuts(html: string, cuts: readonly Cut[]): string {
  const placed = placeIslandScripts(applyEdits(html, cuts), html);
  if ('missing' in placed) {
    const { directive, script } = placed.missing;
    throw new SliceError(
      `An island with client:${directive} shows in a version of this page, but astro-segments found no ${script} on the page to give that version, so the island would not hydrate there.`,
      'astro-segments moves the island scripts Astro writes once per page; this Astro version writes them in a form it does not know. Report it with your Astro version.',
    );
  }
  return placed.html;
}

/** An edit that keeps `[keptStart, keptEnd)` of the text it replaces (a shown block's content; empty for a cut). */
export interface Cut extends Edit {
  readonly keptStart: number;
  readonly keptEnd: number;
}

/**
 * The edits that turn `html` into one assignment's version, before island scripts are placed:
 * each only removes text (a marker, a hidden block, a shown block's fences), so the version is
 * `html` less the spans the cuts do not keep.
 */
export function assignmentCuts(
  html: string,
  markers: Markers,
  blocks: readonly ResolvedBlock[],
  assignment: Assignment,
  optionalAssignment: Assignment | null = assignment,
): Cut[] {
  // remark emits the page marker as the first block of the content, followed by
  // the line break that separates blocks: it goes with the marker.
  const cuts: Cut[] = markers.pages.map((page) => removed(page.start, html[page.end] === '\n' ? page.end + 1 : page.end));
  for (const block of blocks) {
    if (shows(block, assignment, optionalAssignment)) {
      // The block's content without one leading and one trailing line break.
      const keptStart = html[block.innerStart] === '\n' ? block.innerStart + 1 : block.innerStart;
      const keptEnd = block.innerEnd > keptStart && html[block.innerEnd - 1] === '\n' ? block.innerEnd - 1 : block.innerEnd;
      cuts.push({ start: block.start, end: block.end, keptStart, keptEnd, replacement: html.slice(keptStart, keptEnd) });
    } else {
      const line = ownLine(html, block.start, block.end);
      cuts.push(removed(line.start, line.end));
    }
  }
  return cuts;
}

const removed = (start: number, end: number): Cut => ({ start, end, keptStart: start, keptEnd: start, replacement: '' });

/** Widen [start, end) to whole lines when nothing else shares them. */
function ownLine(html: string, start: number, end: number): { start: number; end: number } {
  let before = start;
  while (before > 0 && (html[before - 1] === ' ' || html[before - 1] === '\t')) before--;
  let after = end;
  while (after < html.length && (html[after] === ' ' || html[after] === '\t')) after++;
  const lineStart = before === 0 || html[before - 1] === '\n';
  if (lineStart && html[after] === '\n') return { start: before, end: after + 1 };
  return { start, end };
}

/** Where each head field shows up: the `<title>` text and these meta tags' `content`. */
const META_NAMES: Readonly<Record<HeadField, readonly string[]>> = {
  title: ['og:title', 'twitter:title'],
  description: ['description', 'og:description', 'twitter:description'],
  image: ['og:image', 'twitter:image'],
};

/**
 * Apply frontmatter head overrides for one assignment: in `<head>` only, replace
 * the frontmatter's default value with the override where the layout rendered
 * it: the page's own field of the `<title>` and the matching meta tags. A page
 * that declares overrides but renders no `<head>` fails: they would do nothing;
 * so does one whose `<head>` does not show the value to replace. On a page that
 * renders several entries (a listing), an entry's override applies only where
 * the head shows that entry's own value: it is for the entry's own page.
 */
export function applyHeadOverrides(html: string, page: PageConfig, assignment: Assignment): string {
  if (page.overrides.length === 0) return html;
  const headEnd = html.indexOf('</head>');
  if (headEnd < 0) {
    const fields = [...new Set(page.overrides.flatMap((entry) => Object.keys(entry.fields)))].join(', ');
    throw new SliceError(
      `The page overrides its ${fields} per variant (segments.overrides), but it renders no <head> to put them in (a Markdown page without a layout renders only its content), so every variant would keep the default.`,
      `Give the page a layout that renders the frontmatter in <head> (layout: ../layouts/Page.astro in the frontmatter, rendering <title>{frontmatter.title}</title>), or remove segments.overrides.`,
    );
  }
  let head = html.slice(0, headEnd);
  for (const field of Object.keys(META_NAMES) as HeadField[]) {
    const override = page.overrides[overrideOf(page, field, assignment)];
    const replacement = override?.fields[field];
    if (override === undefined || replacement === undefined) continue;
    const original = (override.head ?? page.head)[field];
    if (original === undefined && override.head) continue;
    if (original === undefined) {
      throw new SliceError(
        `The page overrides "${field}" per variant, but its frontmatter has no default ${field} to replace.`,
        `Add ${field}: to the page's frontmatter (the layout renders it), or set the ${field} with <Segment> blocks in the <head>.`,
      );
    }
    const from = escapeHtml(original);
    const to = escapeHtml(replacement);
    let found = false;
    head = head.replace(/<title>([\s\S]*?)<\/title>/, (whole, text: string) => {
      const replaced = field === 'title' ? replaceTitleField(text, from, to) : undefined;
      if (replaced === undefined) return whole;
      found = true;
      return `<title>${replaced}</title>`;
    });
    head = head.replace(/<meta\b[^>]*>/g, (tag) => {
      const name = /\s(?:name|property)="([^"]*)"/.exec(tag)?.[1];
      if (name === undefined || !META_NAMES[field].includes(name) || !tag.includes(`content="${from}"`)) return tag;
      found = true;
      return tag.replace(`content="${from}"`, `content="${to}"`);
    });
    if (!found && override.head) continue;
    if (!found) {
      throw new SliceError(
        `The page overrides "${field}" per variant, but its <head> does not show the frontmatter ${field} ("${original}"), so there is nothing to replace.`,
        `Render the frontmatter ${field} in the layout's <head> (in <title> or a meta tag), or set it with <Segment> blocks in the <head> instead.`,
      );
    }
  }
  return head + html.slice(headEnd);
}

/** What layouts put between the page's title and the site's name: `Pricing | Docs`, `Docs — Pricing`. */
const TITLE_SEPARATOR = /(\s+[|·•—–:~/»-]+\s+)/;

/**
 * Replace the page's own title in a `<title>` that may also hold the site's
 * name, which can equal or contain the page title ("Docs | Docs", "Docs | Acme
 * Docs"): only one occurrence, the first field between separators that is
 * exactly the title (page first, as Starlight and most layouts write it), or
 * else the title's first occurrence. Undefined when the title is not there.
 */
export function replaceTitleField(text: string, from: string, to: string): string | undefined {
  const parts = text.split(TITLE_SEPARATOR);
  // Fields sit at even indexes, separators (captured) at odd ones.
  const field = parts.findIndex((part, index) => index % 2 === 0 && part.trim() === from);
  if (field >= 0) {
    parts[field] = parts[field]!.replace(from, to);
    return parts.join('');
  }
  const at = text.indexOf(from);
  return at < 0 ? undefined : text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * Add tags at the end of `<head>`; a page without one (a bare Markdown page)
 * gets them right after its doctype, where a browser's parser opens the head.
 */
export function insertInHead(html: string, tags: string): string {
  const headEnd = html.indexOf('</head>');
  if (headEnd >= 0) return html.slice(0, headEnd) + tags + html.slice(headEnd);
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html)?.[0].length ?? 0;
  return html.slice(0, doctype) + tags + html.slice(doctype);
}

/**
 * A variant file: labelled as `labelFile` labels a page, plus noindex and a canonical link to
 * the public URL (unless the page has one). One insertion into the head, as the two in turn
 * would make it, without copying the page twice.
 */
export function variantFile(html: string, label: string, canonical: string): string {
  const headEnd = html.indexOf('</head>');
  const hasCanonical = /<link\b[^>]*\brel="canonical"/.test(headEnd < 0 ? '' : html.slice(0, headEnd));
  const tags = `${labelTag(label)}<meta name="robots" content="noindex">${hasCanonical ? '' : `<link rel="canonical" href="${escapeHtml(canonical)}">`}`;
  return insertInHead(labelRoot(html, label), tags);
}

/**
 * Label a page file with the segments it serves, for privacy-friendly
 * analytics: `<html data-segments="…">` and `<meta name="segments" content="…">`.
 * A file can serve several combinations (identical output is shared), so the
 * label lists, per dimension, every value among them: `audience=customer+partner`.
 */
export function labelOf(dimensions: readonly string[], served: readonly Assignment[]): string {
  return dimensions.map((dimension) => `${dimension}=${[...new Set(served.map((a) => a[dimension]))].join('+')}`).join(';');
}

export function labelFile(html: string, label: string): string {
  return insertInHead(labelRoot(html, label), labelTag(label));
}

const labelRoot = (html: string, label: string) => html.replace(/<html\b/, `<html data-segments="${label}"`);
const labelTag = (label: string) => `<meta name="segments" content="${label}">`;

/** A page with only optional blocks and no declaration (a layout's notice on a plain page): every block removed. */
export function stripBlocks(html: string, markers: Markers): string {
  return renderAssignment(
    html,
    markers,
    markers.blocks.map((block) => ({ ...block, condition: NEVER, unless: [] })),
    {},
  );
}

/** Every assignment of values to the given dimensions, defaults first. */
export function assignments(dimensions: readonly ResolvedDimension[]): Assignment[] {
  let result: Record<string, string>[] = [{}];
  for (const dimension of dimensions) {
    const ordered = [dimension.default, ...dimension.values.map((v) => v.name).filter((name) => name !== dimension.default)];
    result = result.flatMap((partial) => ordered.map((value) => ({ ...partial, [dimension.name]: value })));
  }
  return result;
}
