/**
 * Tables of contents per version. A page renders once, with the headings of
 * every version listed wherever its layout lists headings (Starlight's "On this
 * page", a layout's own list from `headings`). Each version then drops the
 * entries that point at a heading it does not have, so the public page never
 * names a customer-only section and a variant never links to a dead anchor.
 */

const HEADING_ID = /<h[1-6]\b[^>]*?\sid="([^"]*)"/g;
const LIST_TAG = /<(\/?)(li|ul|ol)\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;
const ANCHOR = /<a\b(?:[^>"']|"[^"]*"|'[^']*')*>[\s\S]*?<\/a\s*>/gi;

/** The `id` attributes (as written in the HTML) of the headings in `html`, or in `html.slice(start, end)`. */
export function headingIds(html: string, start = 0, end = html.length): string[] {
  return [...html.slice(start, end).matchAll(HEADING_ID)].map((match) => match[1]!);
}

interface ListItem {
  readonly start: number;
  /** Offset just after `</li>`. */
  readonly end: number;
  readonly innerStart: number;
  readonly innerEnd: number;
}

/**
 * Remove every list item that is nothing but a link to `#id` for one of `ids`
 * (plus, maybe, a nested list: its items take the removed item's place). A list
 * item with any other content is left alone: it is not a table-of-contents entry.
 */
export function pruneHeadingLinks(html: string, ids: ReadonlySet<string>): string {
  if (ids.size === 0) return html;
  const targets = [...ids].map((id) => `href="#${id}"`);
  if (!targets.some((target) => html.includes(target))) return html;
  const cuts: { start: number; end: number; replacement: string }[] = [];
  for (const item of listItems(html)) {
    if (cuts.some((cut) => item.start >= cut.start && item.end <= cut.end)) continue;
    const inner = html.slice(item.innerStart, item.innerEnd);
    const anchor = ANCHOR.exec(inner);
    ANCHOR.lastIndex = 0;
    if (!anchor || !targets.some((target) => anchor[0].includes(target))) continue;
    const nested = nestedLists(inner);
    const rest = (inner.slice(0, anchor.index) + inner.slice(anchor.index + anchor[0].length)).replace(/<(ul|ol)\b[\s\S]*<\/\1\s*>/i, '');
    if (rest.trim() !== '') continue;
    cuts.push({ start: item.start, end: item.end, replacement: nested });
  }
  cuts.sort((a, b) => a.start - b.start);
  let output = '';
  let cursor = 0;
  for (const cut of cuts) {
    if (cut.start < cursor) continue;
    output += html.slice(cursor, cut.start) + cut.replacement;
    cursor = cut.end;
  }
  return output + html.slice(cursor);
}

/** Every `<li>…</li>` with its inner range, outermost first. */
function listItems(html: string): ListItem[] {
  const items: ListItem[] = [];
  const open: { start: number; innerStart: number }[] = [];
  for (const match of html.matchAll(LIST_TAG)) {
    if (match[2]!.toLowerCase() !== 'li') continue;
    if (match[1] === '') {
      open.push({ start: match.index, innerStart: match.index + match[0].length });
    } else {
      const start = open.pop();
      if (start) items.push({ ...start, end: match.index + match[0].length, innerEnd: match.index });
    }
  }
  return items.sort((a, b) => a.start - b.start);
}

/** The items of the first list nested in `inner`, without the list's own tags. */
function nestedLists(inner: string): string {
  const list = /<(ul|ol)\b(?:[^>"']|"[^"]*"|'[^']*')*>([\s\S]*)<\/\1\s*>/i.exec(inner);
  return list ? list[2]!.trim() : '';
}
