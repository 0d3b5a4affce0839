/**
 * Segment blocks on the site's own Markdown processor, document by document.
 *
 * Astro has one `markdown.processor` for every `.md` file (and, by default,
 * every `.mdx` file): pages, content-collection entries, loaders'
 * `renderMarkdown`. Its `createRenderer` / `createMdxRenderer` are wrapped so
 * that each document is routed:
 *
 * - a document with no segment syntax in its text (`mayPersonalize`) and no
 *   `segments` in its frontmatter goes to the site's renderer, untouched (byte for byte what it
 *   renders without this integration, at its speed);
 * - a personalized one goes to a second renderer of the same kind, with the
 *   site's own plugins plus the segment blocks: on Sätteri (Astro 7's default)
 *   directives are turned on for it alone and `remark-segments/satteri` runs
 *   first; on `unified()` (a site's own choice) remark-segments is one of the
 *   site's remark plugins, as before.
 *
 * A personalized result is then split (see `personalized-document.ts`): what
 * Astro keeps is the default version; the marked one goes to the page.
 * Failures are recorded (see `documents.ts`) because Astro's glob loader only
 * logs a render error and stores an empty entry.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroConfig } from 'astro';
import { AstroError } from 'astro/errors';
import remarkSegments, { sourcePath } from 'remark-segments';
import { satteriRestoreDirectives, satteriSegments } from 'remark-segments/satteri';
import type { ResolvedOptions } from '../validate-options.ts';
import { documents } from './documents.ts';
import { setFailure } from './kept-failures.ts';
import { renderError } from './render-error.ts';
import { separateTableFences } from './table-fences.ts';
import { checkDeclaration } from './scan-content.ts';
import { splitPersonalized, type RenderedMarkdown } from './personalized-document.ts';

type Processor = AstroConfig['markdown']['processor'];
type MdxShared = Parameters<NonNullable<Processor['createMdxRenderer']>>;
type Renderer = Awaited<ReturnType<Processor['createRenderer']>>;
type MdxRenderer = Awaited<ReturnType<NonNullable<Processor['createMdxRenderer']>>>;

interface SatteriOptions {
  mdastPlugins: unknown[];
  hastPlugins: unknown[];
  features: { directive?: boolean; [feature: string]: unknown };
}

/** The project the documents belong to and the site's declared segments. */
export interface ContentSettings {
  /** Project root, absolute (messages and markers name files relative to it). */
  readonly root: string;
  readonly options: ResolvedOptions;
  /**
   * In `astro build` a failed document is recorded and renders empty, and the build stops
   * with its error before any page is written (`failures.ts`): thrown from inside Vite, it
   * would reach the terminal wrapped in a bundler error without its hint. In `astro dev` it
   * is thrown, for the error overlay.
   */
  readonly command: 'build' | 'dev' | 'preview' | 'sync';
}

/**
 * A line that may open a segment block (behind any indentation, `>`, list markers and a footnote
 * definition's label), or the
 * inline and leaf forms remark-segments refuses with a hint (`:segment[…]`, `::segment{…}`).
 * Not a bare `:segment`, nor `:::segment{…}` in the middle of a line (inline code, prose about
 * blocks): neither is a block, and a page that only mentions them stays on the site's renderer,
 * where it renders as it does without this integration (with directives on, `10:30[^1]` would
 * read as a directive and lose its footnote).
 */
export const SEGMENT_SYNTAX = /^(?:[\t >*+\-.)\d]|\[\^[^\]\n]*\]:)*:{3,}segment|(?<!:)::?segment[[{]/im;

/** Could this document personalize? Cheap, and never wrong the other way: every block opening is caught. */
export function mayPersonalize(content: string, frontmatter: Readonly<Record<string, unknown>> | undefined): boolean {
  return frontmatter?.segments !== undefined || (mentionsSegment(content) && SEGMENT_SYNTAX.test(content));
}

/**
 * Whether `content` holds `:segment` in any letter case, as every match of `SEGMENT_SYNTAX`
 * does. A string search first, because the build asks this of every Markdown document of the
 * site: in a CPU profile of a 10,001-page build the expression took 0.47 s (47 µs a document,
 * against 4 µs in a script, and 31 µs there with V8's regular-expression interpreter forced),
 * and most documents hold no colon followed by that word.
 */
function mentionsSegment(content: string): boolean {
  for (let at = content.indexOf(':'); at !== -1; at = content.indexOf(':', at + 1)) {
    if (content.slice(at + 1, at + 8).toLowerCase() === 'segment') return true;
  }
  return false;
}

/**
 * The remark plugin for a site on `unified()`. Added in `astro:config:setup`,
 * as before, so it runs in the order integrations listed their plugins.
 */
export function addRemarkPlugin(processor: Processor, settings: ContentSettings): boolean {
  if (processor.name !== 'unified') return false;
  (processor.options as { remarkPlugins: unknown[] }).remarkPlugins.push([remarkSegments, { dimensions: dimensionValues(settings), root: settings.root }]);
  return true;
}

/**
 * Route every document of the final processor (`astro:config:done`: every
 * integration has added its plugins by then). The processor object is changed
 * in place: Astro and `@astrojs/mdx` keep a reference to it.
 */
export function personalizeProcessor(processor: Processor, settings: ContentSettings): void {
  if (processor.name !== 'satteri' && processor.name !== 'unified') {
    throw new AstroError(
      `astro-segments renders :::segment blocks on Astro's Markdown processors, Sätteri (the default) and unified(), but markdown.processor is "${processor.name}".`,
      "Remove the markdown.processor setting to use Sätteri, or set it to unified() from '@astrojs/markdown-remark'.",
    );
  }
  const own = { createRenderer: processor.createRenderer.bind(processor), createMdxRenderer: processor.createMdxRenderer?.bind(processor) };
  const satteri = processor.name === 'satteri' ? () => loadSatteri(settings.root) : undefined;
  processor.createRenderer = async (shared) => {
    const site = await own.createRenderer(shared);
    // Created on first use: a site without personalized Markdown never pays for it.
    let personalized: Promise<Renderer> | undefined;
    const blocks = () =>
      (personalized ??= satteri ? satteri().createSatteriMarkdownProcessor({ ...shared, ...satteriOptions(processor, settings) }) : Promise.resolve(site));
    return {
      render: async (content, options) => {
        if (!mayPersonalize(content, options?.frontmatter)) return site.render(content, options);
        const source = satteri ? separateTableFences(content) : content;
        return renderPersonalized(source, options?.fileURL, options?.frontmatter, settings, {
          render: async (padded) => (await blocks()).render(padded, options) as Promise<RenderedMarkdown>,
          empty: () => site.render('', options) as Promise<RenderedMarkdown>,
        }) as never;
      },
    };
  };
  if (!own.createMdxRenderer) return;
  const createMdx = own.createMdxRenderer;
  processor.createMdxRenderer = async (...args: MdxShared) => {
    const site = await createMdx(...args);
    let personalized: Promise<MdxRenderer> | undefined;
    const blocks = () =>
      (personalized ??= satteri
        ? satteri()
            .satteri(satteriOptions(processor, settings))
            .createMdxRenderer(...args)
        : Promise.resolve(site));
    return {
      process: async (content, filePath, frontmatter) => {
        if (!mayPersonalize(content, frontmatter)) return site.process(content, filePath, frontmatter);
        const file = filePath.replace(/[?#].*$/, '');
        try {
          checkDeclared(frontmatter, file, settings);
          // MDX keeps the front matter's lines (blanked), so positions are the file's own.
          const result = await (await blocks()).process(satteri ? separateTableFences(content) : content, filePath, frontmatter);
          setFailure(file, undefined);
          return result;
        } catch (error) {
          const failure = renderError(error, file, settings);
          setFailure(file, failure);
          if (settings.command !== 'build') throw failure;
          return site.process('', filePath, frontmatter);
        }
      },
    };
  };
}

/** Render one personalized document and split it; a failure is located in its file. */
async function renderPersonalized(
  content: string,
  fileURL: URL | undefined,
  frontmatter: Readonly<Record<string, unknown>> | undefined,
  settings: ContentSettings,
  renderer: { render(content: string): Promise<RenderedMarkdown>; empty(): Promise<RenderedMarkdown> },
): Promise<RenderedMarkdown> {
  const file = fileURL ? fileURLToPath(fileURL) : undefined;
  const where = file ? sourcePath(file, settings.root) : 'Markdown';
  try {
    if (file) checkDeclared(frontmatter, file, settings);
    const { result, marked } = splitPersonalized(await renderer.render(content), where, settings.options);
    if (file) {
      setFailure(file, undefined);
      if (marked) documents.marked.set(file, marked);
      else documents.marked.delete(file);
    }
    return result;
  } catch (error) {
    const failure = renderError(file ? await locate(error, content, file, renderer) : error, file, settings);
    if (!file) throw failure;
    setFailure(file, failure);
    if (settings.command !== 'build') throw failure;
    return renderer.empty();
  }
}

/** The page's `segments` declaration, checked against the options; a mistake is located at its key. */
function checkDeclared(frontmatter: Readonly<Record<string, unknown>> | undefined, file: string, settings: ContentSettings): void {
  if (frontmatter?.segments === undefined) return;
  checkDeclaration(sourcePath(file, settings.root), frontmatter.segments, () => readFileSync(file, 'utf8').split('\n'), settings.options);
}

/**
 * Errors are rare, so only then are their lines made the file's own: when the
 * caller cut the front matter off (Astro's glob loader and `renderMarkdown`
 * do; `.md` pages keep its lines blank), the document renders again behind as
 * many blank lines (Markdown ignores them), and that error is reported.
 */
async function locate(error: unknown, content: string, file: string, renderer: { render(content: string): Promise<RenderedMarkdown> }): Promise<unknown> {
  const padding = await linesBefore(file, content);
  if (padding === 0 || (error as { source?: unknown }).source !== 'remark-segments') return error;
  try {
    await renderer.render('\n'.repeat(padding) + content);
  } catch (located) {
    return located;
  }
  return error;
}

/**
 * How many lines of the file come before `content`'s first line: the front
 * matter, when the caller removed it (Astro's glob loader and `renderMarkdown`
 * do; `.md` pages and MDX blank it out instead, which keeps the lines).
 */
async function linesBefore(file: string, content: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return 0;
  }
  // YAML between `---` lines or TOML between `+++` lines, as Astro reads front matter.
  const frontmatter = /^\uFEFF?(---|\+\+\+)[^\n]*\r?\n[\s\S]*?\r?\n\1[ \t]*(?:\r?\n|$)/.exec(text)?.[0].length ?? 0;
  const firstInFile = text.slice(0, frontmatter + (text.slice(frontmatter).length - text.slice(frontmatter).trimStart().length)).split('\n').length;
  const firstInContent = content.slice(0, content.length - content.trimStart().length).split('\n').length;
  return Math.max(0, firstInFile - firstInContent);
}

/** The site's Sätteri options for personalized documents: directives on, the segments plugin first. */
function satteriOptions(processor: Processor, settings: ContentSettings): SatteriOptions {
  const site = processor.options as SatteriOptions;
  // Whoever turned directives on for every document (Starlight) restores what nobody claims;
  // when only these documents have them, so must we.
  const restore = site.features.directive ? [] : [satteriRestoreDirectives()];
  return {
    mdastPlugins: [satteriSegments({ dimensions: dimensionValues(settings), root: settings.root }), ...site.mdastPlugins, ...restore],
    hastPlugins: [...site.hastPlugins],
    features: { ...site.features, directive: true },
  };
}

interface SatteriModule {
  createSatteriMarkdownProcessor(options: object): Promise<Renderer>;
  satteri(options: SatteriOptions): { createMdxRenderer(...args: MdxShared): Promise<MdxRenderer> };
}

/**
 * The very copy of `@astrojs/markdown-satteri` the site's Astro uses (it is Astro's
 * dependency, not ours). Loaded with Node's own `require` (an ES module, which Node
 * 22.12+ loads synchronously): this code runs inside the module runner Astro loads the
 * config with, whose `import()` is closed once the config is loaded.
 */
function loadSatteri(root: string): SatteriModule {
  const project = createRequire(pathToFileURL(`${root}/package.json`));
  const astro = createRequire(project.resolve('astro/package.json'));
  return astro('@astrojs/markdown-satteri') as SatteriModule;
}

function dimensionValues({ options }: ContentSettings): Record<string, string[]> {
  return Object.fromEntries(options.dimensions.map((dimension) => [dimension.name, dimension.values.map((value) => value.name)]));
}
