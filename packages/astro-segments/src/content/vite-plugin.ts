/**
 * Where a personalized document's marked version reaches its page, and only
 * its page (see `personalized-document.ts` for why Astro stores the default):
 *
 * - `astro:content`'s `render(entry)`: the page's `<Content />` and `headings`
 *   come from `metadata.astroSegments`; `entry.rendered.html`, which feeds and
 *   search services read, stays the default version;
 * - a `.md` page's module: `<Content />` renders the marked HTML and
 *   `getHeadings()` lists every version's headings (the slicer prunes each
 *   version's table of contents), while `compiledContent()` stays the default.
 *
 * Both rewrite code Astro generates. When it does not have the expected shape
 * (a newer or older Astro), the build fails with that reason rather than
 * publishing a page without its versions.
 */
import { fileURLToPath } from 'node:url';
import { AstroError } from 'astro/errors';
import { sourcePath } from 'remark-segments';
import { documents } from './documents.ts';
import { throwIfFailed } from './failures.ts';

const CONTENT_MODULE = '\0astro:content';
/** How `astro:content` exports `render`: Astro 7.3 creates it, Astro 7.2 re-exports it. */
const RENDER_EXPORTS: readonly [RegExp, string][] = [
  [/^export const render = (createRenderEntry\(\{ logger \}\));$/m, '$1'],
  [/^(\s*)renderEntry as render,$/m, ''],
];
const RUNTIME = fileURLToPath(new URL('./render-entry.ts', import.meta.url));

/** A transform with a filter Vite and Rolldown apply natively: other modules never reach JavaScript. */
interface FilteredTransform {
  readonly filter: { readonly id: RegExp; readonly code?: RegExp };
  handler(code: string, id: string): string | undefined;
}

/** The part of a Vite plugin these use; assignable to Vite's `Plugin`. */
export interface TransformPlugin {
  readonly name: string;
  readonly enforce: 'post';
  readonly transform: FilteredTransform;
  readonly buildApp?: { readonly order: 'post'; handler(): void };
}

/** A `.md` page's module (Astro's Markdown extensions, with a query or not). */
const MARKDOWN_MODULE = /\.(?:md|markdown|mdown|mkdn|mkd|mdwn)(?:$|[?#])/;
/**
 * A page module that could personalize: one whose `rawContent()` holds `:segment` or whose
 * `frontmatter` has a `segments` key (what `mayPersonalize` looks for) holds the word, in
 * whatever way a transform before this one writes them. Pages without it never reach
 * JavaScript; the handler decides for the others.
 */
const MAY_PERSONALIZE = /segment/i;

export function personalizedContent(root: string, command: string): TransformPlugin[] {
  return [
    {
      name: 'astro-segments:content',
      enforce: 'post',
      // After Vite built the site (every `.md` page and MDX file rendered) and before Astro
      // prerenders a page: Astro's own step runs after every integration's plugins.
      ...(command === 'build' && { buildApp: { order: 'post' as const, handler: () => throwIfFailed(root) } }),
      transform: { filter: { id: /^\0astro:content$/ }, handler: (code, id) => (id === CONTENT_MODULE ? wrapRender(code) : undefined) },
    },
    {
      name: 'astro-segments:markdown-pages',
      enforce: 'post',
      transform: {
        filter: { id: MARKDOWN_MODULE, code: MAY_PERSONALIZE },
        handler(code, id) {
          const file = id.replace(/[?#].*$/, '');
          const marked = MARKDOWN_MODULE.test(file) ? documents.marked.get(file) : undefined;
          return marked ? markedPage(code, file, marked, root) : undefined;
        },
      },
    },
  ];
}

function wrapRender(code: string): string {
  const imports = `import { personalizedRender as __astroSegmentsRender } from ${JSON.stringify(RUNTIME)};\n`;
  const [created, reexported] = RENDER_EXPORTS;
  if (created![0].test(code)) return imports + code.replace(created![0], 'export const render = __astroSegmentsRender($1);');
  if (reexported![0].test(code)) {
    return `${imports}import { renderEntry as __astroSegmentsRenderEntry } from 'astro/content/runtime';\n${code.replace(reexported![0], '')}\nexport const render = __astroSegmentsRender(__astroSegmentsRenderEntry);\n`;
  }
  return unexpected('the astro:content module', 'it exports render() in a way this version does not know');
}

/** The `.md` module with its marked HTML and every heading; `compiledContent()` keeps the default. */
function markedPage(code: string, file: string, marked: { html: string; headings: readonly unknown[] }, root: string): string {
  const what = `the module of ${sourcePath(file, root)}`;
  const compiled = /export async function compiledContent\(\) \{\s*return await html\(\);\s*\}/.exec(code);
  const headings = /export function getHeadings\(\) \{\s*return (\[.*?\]);\s*\}/.exec(code);
  const literal = /(?:const html = \(\) => |updateImageReferences\()("(?:[^"\\]|\\.)*")/.exec(code);
  if (!compiled || !headings || !literal) unexpected(what, 'compiledContent(), getHeadings() or its HTML is not where it used to be');
  const defaultHtml = literal[1]!;
  const images = code.includes('async function updateImageReferences(');
  const replacements: [RegExpExecArray, string][] = [
    [compiled, `export async function compiledContent() { return ${images ? `await updateImageReferences(${defaultHtml})` : defaultHtml}; }`],
    [headings, `export function getHeadings() { return ${JSON.stringify(marked.headings)}; }`],
    [literal, literal[0].replace(defaultHtml, () => JSON.stringify(marked.html))],
  ];
  // Pieces of the original between the replacements, joined once: replacing one after the
  // other copied the whole module at each step, for every personalized page of a build.
  const pieces: string[] = [];
  let from = 0;
  for (const [match, replacement] of replacements.sort(([a], [b]) => a.index - b.index)) {
    pieces.push(code.slice(from, match.index), replacement);
    from = match.index + match[0].length;
  }
  pieces.push(code.slice(from));
  return pieces.join('');
}

function unexpected(what: string, why: string): never {
  throw new AstroError(
    `astro-segments cannot give personalized Markdown its versions: ${what} does not have the shape this version of astro-segments expects (${why}).`,
    "Use an Astro version within astro-segments' peerDependencies range, or report your Astro version as an issue.",
  );
}
