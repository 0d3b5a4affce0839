import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { MANIFEST_VERSION, type Manifest, type ManifestRoute } from '@astro-segments/edge';
import { ConditionError, type Assignment } from 'remark-segments/condition';
import { BuildProblem } from './build-problem.ts';
import { findMarkers, MarkerError } from './markers.ts';
import { effectiveAssignment, ownContent, preparePage, renderPage } from './prepare-page.ts';
import { assignments, labelFile, labelOf, SliceError, stripBlocks, variantFile, versionKey } from './slice.ts';
import { excludeFromSearch } from './search.ts';
import type { ResolvedOptions } from './validate-options.ts';
import { outputFiles } from './build/output-files.ts';
import { readScratch } from './build/read-scratch.ts';

export { BuildProblem } from './build-problem.ts';

export interface SiteSettings {
  /** Astro `base`, e.g. `/` or `/docs`. */
  readonly base: string;
  /** Astro `site`, for absolute canonical URLs. */
  readonly site: string | undefined;
  readonly trailingSlash: 'always' | 'never' | 'ignore';
}

/** One personalized page, for the manifest and the build report. */
export interface CompiledPage {
  readonly route: string;
  /** Output file relative to the build directory, `/`-separated. */
  readonly file: string;
  /** Source that declared the personalization (Markdown file or route component). */
  readonly source: string;
  readonly purpose: string;
  readonly kpi: string;
  readonly dimensions: readonly string[];
  readonly combinations: number;
  readonly variants: ManifestRoute['variants'];
  /** The default page as written to the public URL. */
  readonly defaultHtml: string;
  /** Label and combinations (`customer/eu`) the public file serves. */
  readonly defaultFile: { readonly label: string; readonly serves: readonly string[] };
  /** Each variant file: its hash, label and the combinations it serves. */
  readonly variantFiles: readonly { readonly hash: string; readonly label: string; readonly serves: readonly string[] }[];
  /** The page's segment blocks, in order: serialized condition, or null for otherwise. */
  readonly blocks: readonly { readonly when: string | null; readonly optional: boolean }[];
}

export interface CompiledSite {
  readonly manifest: Manifest;
  readonly pages: readonly CompiledPage[];
  /** Pages that only carried optional blocks (a layout's notice) and vary on nothing: file → HTML without them. */
  readonly plain: ReadonlyMap<string, string>;
  /** Variant files by hash. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * Read every built HTML page, slice the personalized ones into variants and
 * compile the manifest. Pure with respect to the output directory: nothing is
 * written here, so a mistake found on the last page leaves no partial output.
 *
 * @param listing the output's files (relative, `/`-separated), when the caller
 *   has listed them already; listed here otherwise.
 */
export async function compileSite(
  dir: string,
  options: ResolvedOptions,
  settings: SiteSettings,
  sourceOf: (file: string) => string | undefined,
  listing: readonly string[] = outputFiles(dir, (name) => name.endsWith('.html')),
): Promise<CompiledSite> {
  const base = settings.base.replace(/\/+$/, '');
  const pages: CompiledPage[] = [];
  const files = new Map<string, string>();
  const plain = new Map<string, string>();
  for (const [file, html] of markedPages(dir, options.prefix, listing)) {
    const source = sourceOf(file) ?? file;
    try {
      const markers = findMarkers(html);
      if (markers.pages.length === 0 && markers.blocks.every((block) => block.optional)) {
        plain.set(file, stripBlocks(html, markers));
        continue;
      }
      pages.push(compilePage(html, file, source, options, settings, base, files));
    } catch (error) {
      if (error instanceof SliceError) throw new BuildProblem(source, error.message, error.hint);
      if (error instanceof MarkerError || error instanceof ConditionError) {
        throw new BuildProblem(source, `${error.message}.`, 'Check the <Segment> / :::segment blocks on this page.');
      }
      throw error;
    }
  }
  const total = pages.reduce((sum, page) => sum + new Set(Object.values(page.variants)).size, 0);
  if (total > options.budget.perSite) {
    const biggest = [...pages].sort((a, b) => Object.keys(b.variants).length - Object.keys(a.variants).length).slice(0, 3);
    throw new BuildProblem(
      'astro.config',
      `Personalization would add ${total} variant files, over the site budget of ${options.budget.perSite}. Largest: ${biggest
        .map((page) => `${page.route} (${new Set(Object.values(page.variants)).size})`)
        .join(', ')}.`,
      'Vary fewer pages or fewer dimensions per page, merge values that render alike, or raise budget.perSite in the segments() options.',
    );
  }
  const manifest = manifestFor(options, base, Object.fromEntries(pages.map((page) => [page.route, { dims: page.dimensions, variants: page.variants }])));
  return { manifest, pages, files, plain };
}

function compilePage(
  html: string,
  file: string,
  source: string,
  options: ResolvedOptions,
  settings: SiteSettings,
  base: string,
  files: Map<string, string>,
): CompiledPage {
  const prepared = preparePage(html, source, options);
  const { markers, page, where, dimensions, combinations } = prepared;
  const own = ownContent(prepared, html);
  // Optional blocks (a layout's notice) see the effective assignment; without one, working it
  // out would render every combination a second time for nothing.
  const hasOptional = markers.blocks.some((block) => block.optional);
  const publicPath = publicPathOf(file, settings.trailingSlash, base);
  const canonical = settings.site ? new URL(publicPath, settings.site).href : publicPath;
  // Group combinations by the HTML they render: each group is one file. Combinations whose
  // blocks and head overrides are the same render the same HTML: each such version once.
  const groups = new Map<string, Assignment[]>();
  const versions = new Map<string, Assignment[]>();
  for (const assignment of assignments(dimensions)) {
    const optional = hasOptional ? effectiveAssignment(dimensions, assignment, own) : assignment;
    const key = versionKey(prepared.blocks, page, assignment, optional);
    let group = versions.get(key);
    if (!group) {
      const rendered = renderPage(prepared, html, assignment, optional);
      group = groups.get(rendered);
      if (!group) groups.set(rendered, (group = []));
      versions.set(key, group);
    }
    group.push(assignment);
  }
  const names = dimensions.map((dimension) => dimension.name);
  const keyOf = (assignment: Assignment) => names.map((name) => assignment[name]).join('/');
  // The first group holds the all-defaults combination: it is the public page.
  const [first, ...others] = [...groups];
  const [defaultRendered, defaultServed] = first!;
  const defaultLabel = labelOf(names, defaultServed);
  const variants: Record<string, string> = {};
  const variantFiles: CompiledPage['variantFiles'][number][] = [];
  for (const [rendered, served] of others) {
    const label = labelOf(names, served);
    const variant = excludeFromSearch(variantFile(rendered, label, canonical));
    const hash = variantName(variant, files);
    files.set(hash, variant);
    for (const assignment of served) variants[keyOf(assignment)] = hash;
    variantFiles.push({ hash, label, serves: served.map(keyOf) });
  }
  const distinct = variantFiles.length;
  if (distinct > options.budget.perPage) {
    throw new SliceError(
      `This page renders ${distinct} distinct variants (of ${combinations} combinations of ${dimensions.map((d) => d.name).join(', ')}), over the per-page budget of ${options.budget.perPage}.`,
      'Vary the page on fewer dimensions, use one-of conditions (audience="a, b") so values share output, or raise budget.perPage in the segments() options.',
    );
  }
  return {
    route: routeKeyOf(file, base),
    file,
    source: where,
    purpose: page.purpose,
    kpi: page.kpi,
    dimensions: dimensions.map((dimension) => dimension.name),
    combinations,
    variants,
    defaultHtml: labelFile(defaultRendered, defaultLabel),
    defaultFile: { label: defaultLabel, serves: defaultServed.map(keyOf) },
    variantFiles,
    blocks: markers.blocks.map((block) => ({ when: block.when, optional: block.optional })),
  };
}

/** 36^12 names: 62 bits, about as many as the sixteen hex characters before them (64). */
const NAMES = 36n ** 12n;

/**
 * A variant file's name: twelve base-36 characters of its content's SHA-256. Short, because
 * every router bundle carries every name (as sixteen hex characters they were two thirds of a
 * 2,000-page site's Worker, and V8 scans every byte of it at a cold start), and long enough
 * that a name stays its content's across a site's deploys, as an immutable cache needs.
 * Equal files share a name. Two different files of one build whose names collide (about one
 * build in a hundred billion at 10,000 variant files) are told apart: the later one is named by
 * 32 hex characters instead, so no visitor is served another file under its name.
 */
export function variantName(content: string, files: ReadonlyMap<string, string>): string {
  const digest = createHash('sha256').update(content).digest();
  const name = (digest.readBigUInt64BE(0) % NAMES).toString(36).padStart(12, '0');
  const taken = files.get(name);
  return taken === undefined || taken === content ? name : digest.toString('hex', 0, 16);
}

const MARKER = Buffer.from('<astro-segment');

/**
 * The pages that hold markers, with their HTML, in file order. Every page is
 * read, but only the few that personalize are decoded: the work beyond reading
 * grows with the personalized pages, not with the site. Read one after the
 * other, synchronously: for many small files that is about twice as fast as
 * through libuv's thread pool (one hand-off per open, read and close), and
 * nothing else runs while Astro waits for this hook.
 */
function markedPages(dir: string, prefix: string, listing: readonly string[]): [string, string][] {
  const pages: [string, string][] = [];
  for (const file of listing.filter((path) => path.endsWith('.html') && !path.startsWith(`${prefix}/`))) {
    const content = readScratch(join(dir, file));
    if (content.includes(MARKER)) pages.push([file, content.toString('utf8')]);
  }
  return pages;
}

/** `pricing/index.html` → `/pricing`, `pricing.html` → `/pricing`, `index.html` → `/` (with base). */
export function routeKeyOf(file: string, base: string): string {
  const path = `/${file}`
    .replace(/\/index\.html$/, '/')
    .replace(/\.html$/, '')
    .replace(/\/$/, '');
  return `${base}${path}` || '/';
}

/** The URL a visitor uses for the file, honouring `trailingSlash`. */
function publicPathOf(file: string, trailingSlash: SiteSettings['trailingSlash'], base: string): string {
  const key = routeKeyOf(file, base);
  if (key === '/' || key === base) return `${key.replace(/\/$/, '')}/`;
  const directory = file.endsWith('/index.html') || file === 'index.html';
  return directory && trailingSlash !== 'never' ? `${key}/` : key;
}

/** The manifest for a site: the router's settings and rules, plus its routes (and the holdout, only when configured). */
export function manifestFor(options: ResolvedOptions, base: string, routes: Manifest['routes']): Manifest {
  return {
    version: MANIFEST_VERSION,
    prefix: `${base}/${options.prefix}/`,
    param: options.param,
    previewParam: options.previewParam,
    cookie: options.cookie,
    debug: options.debug,
    dimensions: options.dimensions.map((dimension) => ({
      name: dimension.name,
      default: dimension.default,
      values: dimension.values.map((value) => ({ name: value.name, rules: value.rules })),
    })),
    ...(options.holdout && { holdout: { ...options.holdout } }),
    routes,
  };
}
