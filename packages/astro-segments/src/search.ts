/**
 * Variant files are for the router to serve at their public URL, never pages
 * of their own: `noindex` keeps crawlers away, but a site's own search index is
 * built from the output folder (Pagefind, which Starlight runs), which reads
 * every HTML file and ignores `noindex`. A variant file is taken out of it: no
 * `data-pagefind-body` (on a site that uses it, a page without it is not
 * indexed) and `data-pagefind-ignore="all"` on its body (on a site that does
 * not, that leaves the page out).
 */
const PAGEFIND_BODY = /(<[a-z][\w-]*\b[^>]*?)\s+data-pagefind-body(?:=(?:"[^"]*"|'[^']*'|[^\s>]*))?/gi;

/** The attribute anywhere: most pages do not have it, and this search is far cheaper than the replace. */
const MENTIONS_BODY = /data-pagefind-body/i;

export function excludeFromSearch(html: string): string {
  const withoutBody = MENTIONS_BODY.test(html) ? html.replace(PAGEFIND_BODY, '$1') : html;
  const body = /<body\b/i.exec(withoutBody) ?? /<html\b/i.exec(withoutBody);
  if (!body) return withoutBody;
  const at = body.index + body[0].length;
  return `${withoutBody.slice(0, at)} data-pagefind-ignore="all"${withoutBody.slice(at)}`;
}
