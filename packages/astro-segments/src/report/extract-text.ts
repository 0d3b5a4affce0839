import { decodeEntities } from '../markers.ts';

/** Elements whose boundaries start a new line of text. */
const BLOCK =
  /<\/?(?:address|article|aside|blockquote|br|caption|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|option|p|pre|section|summary|table|td|th|tr|ul)\b[^>]*>/gi;
/** Elements with no readable text of their own. */
const SILENT = /<(script|style|noscript|template|svg|iframe|object)\b[\s\S]*?<\/\1\s*>/gi;
/** Head metadata that only tells variant files apart (or never changes for a visitor). */
const IGNORED_META = new Set(['segments', 'robots', 'viewport', 'generator']);

const clean = (text: string) =>
  decodeEntities(text.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The readable lines of a page, for showing what differs between variants:
 * `Title: …`, `Meta description: …` for the head, then the body's text, one
 * line per block element. Markup without text (an attribute, an image) is not
 * shown; the report says so when only markup differs.
 */
export function readableLines(html: string): string[] {
  const bodyAt = html.search(/<body\b/i);
  return [...headLines(bodyAt < 0 ? '' : html.slice(0, bodyAt)), ...bodyLines(bodyAt < 0 ? html : html.slice(bodyAt))];
}

/** The readable lines of the head: the title and the meta tags a visitor or a sharing card sees. */
function headLines(head: string): string[] {
  const lines: string[] = [];
  const title = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(head);
  if (title) lines.push(`Title: ${clean(title[1]!)}`);
  for (const [tag] of head.matchAll(/<meta\b[^>]*>/gi)) {
    const name = /\s(?:name|property)\s*=\s*"([^"]*)"/i.exec(tag)?.[1];
    const content = /\scontent\s*=\s*"([^"]*)"/i.exec(tag)?.[1];
    if (name === undefined || content === undefined || IGNORED_META.has(name.toLowerCase())) continue;
    lines.push(`Meta ${name}: ${clean(content)}`);
  }
  return lines;
}

/** The text of (part of) a body, one line per block element. */
function bodyLines(body: string): string[] {
  const lines: string[] = [];
  const text = body
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(SILENT, '')
    .replace(BLOCK, '\n');
  for (const line of text.split('\n')) {
    const readable = clean(line);
    if (readable !== '') lines.push(readable);
  }
  return lines;
}

/**
 * What differs between two versions of a page, as lines of text: the same as
 * `diffLines(readableLines(a), readableLines(b))` (see `diff-lines.ts`), but
 * the bodies are read only where they differ. Versions of a page share
 * everything outside their blocks, so that is a small part of each: the
 * common start and end are cut at a block element's tag (where a line ends
 * anyway), never inside a comment or a script.
 */
export function changedLines(a: string, b: string, diff: (before: string[], after: string[]) => { removed: readonly string[]; added: readonly string[] }[]) {
  const [headA, bodyA] = split(a);
  const [headB, bodyB] = split(b);
  const [middleA, middleB] = differing(bodyA, bodyB);
  // Equal heads have no line to compare; a page's default head is read once for all its variants.
  const head = headA === headB ? [] : diff(lastHeadLines(headA), headLines(headB));
  return [...head, ...diff(bodyLines(middleA), bodyLines(middleB))];
}

/** The last head read, and its lines: a page's default version is compared with each of its variants. */
let lastHead: { readonly head: string; readonly lines: string[] } | undefined;

function lastHeadLines(head: string): string[] {
  if (lastHead?.head !== head) lastHead = { head, lines: headLines(head) };
  return lastHead.lines;
}

/** Head and body, the body without its own tag (whose attributes differ between versions). */
function split(html: string): [string, string] {
  const body = /<body\b[^>]*>/i.exec(html);
  return body ? [html.slice(0, body.index), html.slice(body.index + body[0].length)] : ['', html];
}

const BLOCK_START =
  /^<\/?(?:address|article|aside|blockquote|br|caption|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|option|p|pre|section|summary|table|td|th|tr|ul)\b/i;

/** The parts of two bodies between their common start and end, cut at block tags outside comments and silent elements. */
function differing(a: string, b: string): [string, string] {
  const limit = Math.min(a.length, b.length);
  const start = commonLength(limit, (from, to) => a.slice(from, to) === b.slice(from, to));
  const end = commonLength(limit - start, (from, to) => a.slice(a.length - to, a.length - from) === b.slice(b.length - to, b.length - from));
  const from = cutBefore(a, start);
  // The end cut is taken in `a`'s coordinates of its common end, and applies to both.
  const tail = a.length - cutAfter(a, a.length - end);
  return [a.slice(from, a.length - tail), b.slice(from, b.length - tail)];
}

/**
 * The longest `n ≤ limit` for which `same(0, n)` holds, found by halving: `same(from, to)`
 * compares one stretch (the stretch before `from` is known to be the same), as one native
 * string comparison instead of a JavaScript loop per character (a report of 8,500 variant
 * files compares tens of millions of characters).
 */
export function commonLength(limit: number, same: (from: number, to: number) => boolean): number {
  let known = 0;
  let unknown = limit;
  while (known < unknown) {
    const middle = known + Math.ceil((unknown - known) / 2);
    if (same(known, middle)) known = middle;
    else unknown = middle - 1;
  }
  return known;
}

/** The last block tag at or before `at` that is not inside a comment or a silent element; 0 when none. */
function cutBefore(html: string, at: number): number {
  for (let index = html.lastIndexOf('<', at); index > 0; index = html.lastIndexOf('<', index - 1)) {
    if (BLOCK_START.test(html.slice(index, index + 16)) && outsideSilent(html, index)) return index;
  }
  return 0;
}

/** The first block tag at or after `at` that is not inside a comment or a silent element; the end when none. */
function cutAfter(html: string, at: number): number {
  for (let index = html.indexOf('<', at); index >= 0; index = html.indexOf('<', index + 1)) {
    if (BLOCK_START.test(html.slice(index, index + 16)) && outsideSilent(html, index)) return index;
  }
  return html.length;
}

/** A comment or a silent element, each up to its end (or the document's, when it is not closed). */
const SILENT_OR_COMMENT = /<!--[\s\S]*?(?:-->|$)|<(script|style|noscript|template|svg|iframe|object)\b[\s\S]*?(?:<\/\1\s*>|$)/gi;

/** The last document's silent stretches: a page's default version is cut once for each of its variants. */
let lastSilent: { readonly html: string; readonly stretches: readonly number[] } | undefined;

/** Where the comments and silent elements of `html` start and end, in order: `[start, end, start, end, …]`. */
function silentStretches(html: string): readonly number[] {
  if (lastSilent?.html === html) return lastSilent.stretches;
  const stretches: number[] = [];
  for (const match of html.matchAll(SILENT_OR_COMMENT)) stretches.push(match.index, match.index + match[0].length);
  lastSilent = { html, stretches };
  return stretches;
}

/** No comment and no script, style or other silent element is open at `index`. */
function outsideSilent(html: string, index: number): boolean {
  const stretches = silentStretches(html);
  for (let at = 0; at < stretches.length && stretches[at]! < index; at += 2) {
    if (index < stretches[at + 1]!) return false;
  }
  return true;
}
