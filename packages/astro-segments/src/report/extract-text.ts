import { decodeEntities } from '../markers.ts';

/** Elements whose boundaries start a new line of text. */
const BLOCK = /<\/?(?:address|article|aside|blockquote|br|caption|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|option|p|pre|section|summary|table|td|th|tr|ul)\b[^>]*>/gi;
/** Elements with no readable text of their own. */
const SILENT = /<(script|style|noscript|template|svg|iframe|object)\b[\s\S]*?<\/\1\s*>/gi;
/** Head metadata that only tells variant files apart (or never changes for a visitor). */
const IGNORED_META = new Set(['segments', 'robots', 'viewport', 'generator']);

const clean = (text: string) => decodeEntities(text.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();

/**
 * The readable lines of a page, for showing what differs between variants:
 * `Title: …`, `Meta description: …` for the head, then the body's text, one
 * line per block element. Markup without text (an attribute, an image) is not
 * shown; the report says so when only markup differs.
 */
export function readableLines(html: string): string[] {
  const lines: string[] = [];
  const bodyAt = html.search(/<body\b/i);
  const head = bodyAt < 0 ? '' : html.slice(0, bodyAt);
  const body = bodyAt < 0 ? html : html.slice(bodyAt);
  const title = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(head);
  if (title) lines.push(`Title: ${clean(title[1]!)}`);
  for (const [tag] of head.matchAll(/<meta\b[^>]*>/gi)) {
    const name = /\s(?:name|property)\s*=\s*"([^"]*)"/i.exec(tag)?.[1];
    const content = /\scontent\s*=\s*"([^"]*)"/i.exec(tag)?.[1];
    if (name === undefined || content === undefined || IGNORED_META.has(name.toLowerCase())) continue;
    lines.push(`Meta ${name}: ${clean(content)}`);
  }
  const text = body.replace(/<!--[\s\S]*?-->/g, '').replace(SILENT, '').replace(BLOCK, '\n');
  for (const line of text.split('\n')) {
    const readable = clean(line);
    if (readable !== '') lines.push(readable);
  }
  return lines;
}
