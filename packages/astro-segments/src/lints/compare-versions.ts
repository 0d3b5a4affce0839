import type { CompiledPage, CompiledSite } from '../compile-site.ts';
import { NOTICE_ATTRIBUTE } from '../components/notice.ts';
import type { ResolvedDimension, ResolvedOptions } from '../validate-options.ts';

const NOTICE = new RegExp(String.raw`<aside\b[^>]*\s${NOTICE_ATTRIBUTE}\b[^>]*>[\s\S]*?</aside>`, 'g');

/** The page without its `<SegmentNotice>` asides. */
export function withoutNotices(html: string): string {
  return html.replace(NOTICE, '');
}

/** The `<SegmentNotice>` asides a page shows, as HTML. */
export function noticesIn(html: string): string[] {
  return [...html.matchAll(NOTICE)].map((match) => match[0]);
}

/**
 * What a visitor gets from a page file, without what only tells files apart:
 * the static segment label, the variant file's noindex and canonical tags, the
 * `<SegmentNotice>` (it differs by design) and whitespace between tags.
 */
export function contentOf(html: string): string {
  return withoutNotices(html)
    .replace(/\sdata-segments="[^"]*"/, '')
    .replace(/<meta name="segments" content="[^"]*">/, '')
    .replace('<meta name="robots" content="noindex">', '')
    .replace(/<link rel="canonical" href="[^"]*">/g, '')
    .replace(/>\s+</g, '><')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The page's dimensions with their declared values, in the manifest's order. */
export function dimensionsOf(page: CompiledPage, options: ResolvedOptions): ResolvedDimension[] {
  return options.dimensions.filter((dimension) => page.dimensions.includes(dimension.name));
}

const notices = new WeakMap<CompiledPage, boolean>();

/** Whether any file of the page shows a `<SegmentNotice>`. */
function hasNotice(page: CompiledPage, site: CompiledSite): boolean {
  let found = notices.get(page);
  if (found === undefined) {
    const files = [page.defaultHtml, ...page.variantFiles.map((variant) => site.files.get(variant.hash) ?? '')];
    notices.set(page, (found = files.some((html) => html.includes(NOTICE_ATTRIBUTE))));
  }
  return found;
}

/** Normalized content per page and file (`''` for the default), computed once however many checks ask. */
const contents = new WeakMap<CompiledPage, Map<string, string>>();

/**
 * Whether choosing `value` for `dimension` changes what a visitor of the page
 * gets, compared with that dimension's default, for any choice of the page's
 * other dimensions. (Stricter than "differs from the default page": a value
 * whose combinations differ only because of another dimension has no effect.)
 */
export function makesDifference(page: CompiledPage, site: CompiledSite, options: ResolvedOptions, dimension: string, value: string): boolean {
  const dimensions = dimensionsOf(page, options);
  const index = dimensions.findIndex((candidate) => candidate.name === dimension);
  const own = dimensions[index];
  if (!own || value === own.default) return false;
  let cache = contents.get(page);
  if (!cache) contents.set(page, (cache = new Map()));
  const content = (key: string) => {
    const hash = page.variants[key];
    const id = hash ?? '';
    let text = cache.get(id);
    if (text === undefined) {
      text = contentOf(hash === undefined ? page.defaultHtml : (site.files.get(hash) ?? page.defaultHtml));
      cache.set(id, text);
    }
    return text;
  };
  let rest: string[][] = [[]];
  for (const other of dimensions) {
    rest = other.name === dimension ? rest.map((values) => [...values, '']) : rest.flatMap((values) => other.values.map((v) => [...values, v.name]));
  }
  // Combinations that render alike share a file (the build grouped them by their HTML), so two
  // different files differ in content; only a page with a notice (which words each file its own
  // way) needs its files compared.
  const byFile = !hasNotice(page, site);
  return rest.some((values) => {
    const key = (chosen: string) => values.map((v, i) => (i === index ? chosen : v)).join('/');
    if (byFile) return page.variants[key(value)] !== page.variants[key(own.default)];
    return content(key(value)) !== content(key(own.default));
  });
}
