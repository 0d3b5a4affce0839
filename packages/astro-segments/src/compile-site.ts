import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { MANIFEST_VERSION, type Manifest, type ManifestRoute } from '@astro-segments/edge';
import { ConditionError } from 'remark-segments/condition';
import { findMarkers, hasMarkers, MarkerError } from './markers.ts';
import { parsePageConfig, type PageConfig } from './page-config.ts';
import type { Assignment } from 'remark-segments/condition';
import { applyHeadOverrides, assignments, labelFile, labelOf, markVariantFile, renderAssignment, resolveBlocks, SliceError } from './slice.ts';
import type { ResolvedOptions } from './validate-options.ts';

/** Hard stop before enumerating combinations, whatever the budget says. */
const MAX_COMBINATIONS = 4096;

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
  /** Variant files by hash. */
  readonly files: ReadonlyMap<string, string>;
}

/** A content or config mistake, located, with its fix. Turned into an AstroError by the integration. */
export class BuildProblem extends Error {
  override name = 'BuildProblem';
  readonly where: string;
  readonly hint: string;
  constructor(where: string, message: string, hint: string) {
    super(message);
    this.where = where;
    this.hint = hint;
  }
}

/**
 * Read every built HTML page, slice the personalized ones into variants and
 * compile the manifest. Pure with respect to the output directory: nothing is
 * written here, so a mistake found on the last page leaves no partial output.
 */
export async function compileSite(
  dir: string,
  options: ResolvedOptions,
  settings: SiteSettings,
  sourceOf: (file: string) => string | undefined,
): Promise<CompiledSite> {
  const base = settings.base.replace(/\/+$/, '');
  const pages: CompiledPage[] = [];
  const files = new Map<string, string>();
  for (const file of await htmlFiles(dir, options.prefix)) {
    const html = await readFile(join(dir, file), 'utf8');
    if (!hasMarkers(html)) continue;
    const source = sourceOf(file) ?? file;
    try {
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
  const manifest: Manifest = {
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
    routes: Object.fromEntries(pages.map((page) => [page.route, { dims: page.dimensions, variants: page.variants }])),
  };
  return { manifest, pages, files };
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
  const markers = findMarkers(html);
  const page = mergePageConfigs(markers.pages.map((marker) => readPageConfig(marker.config, source)), source);
  if (!page) {
    throw new SliceError(
      'This page has segment blocks but does not declare what it varies on, why, or what it should move.',
      'In Markdown/MDX add frontmatter `segments: { dimensions: [audience], purpose: ..., kpi: ... }`; in .astro pages add <SegmentPage dimensions={["audience"]} purpose="..." kpi="..." />.',
    );
  }
  const where = page.file ?? source;
  for (const name of page.dimensions) {
    if (!options.dimensions.some((dimension) => dimension.name === name)) {
      throw new BuildProblem(
        where,
        `segments.dimensions lists "${name}", which is not declared in the segments() options.`,
        `Use one of ${options.dimensions.map((d) => d.name).join(', ')}, or declare "${name}" in astro.config.`,
      );
    }
  }
  const dimensions = options.dimensions.filter((dimension) => page.dimensions.includes(dimension.name));
  const combinations = dimensions.reduce((product, dimension) => product * dimension.values.length, 1);
  if (combinations > MAX_COMBINATIONS) {
    throw new SliceError(
      `This page varies on ${dimensions.map((d) => `${d.name} (${d.values.length})`).join(' × ')} = ${combinations} combinations.`,
      'Vary the page on fewer dimensions; split it into pages for different audiences instead.',
    );
  }
  const blocks = resolveBlocks(html, markers, page, options.dimensions);
  const publicPath = publicPathOf(file, settings.trailingSlash, base);
  const canonical = settings.site ? new URL(publicPath, settings.site).href : publicPath;
  // Group combinations by the HTML they render: each group is one file.
  const groups = new Map<string, Assignment[]>();
  for (const assignment of assignments(dimensions)) {
    const rendered = applyHeadOverrides(renderAssignment(html, markers, blocks, assignment), page, assignment);
    const group = groups.get(rendered);
    if (group) group.push(assignment);
    else groups.set(rendered, [assignment]);
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
    const variant = markVariantFile(labelFile(rendered, label), canonical);
    const hash = createHash('sha256').update(variant).digest('hex').slice(0, 16);
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

function readPageConfig(json: string, source: string): PageConfig {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new BuildProblem(source, 'The page marker of astro-segments holds malformed data.', 'Rebuild; if it persists, report a bug.');
  }
  const result = parsePageConfig(data);
  if ('problems' in result) {
    const file = typeof (data as { file?: unknown })?.file === 'string' ? (data as { file: string }).file : source;
    const [first, ...rest] = result.problems;
    throw new BuildProblem(
      file,
      `${first!.key}: ${first!.message}${rest.length ? ` (and ${rest.length} more: ${rest.map((p) => p.key).join(', ')})` : ''}.`,
      'Every personalized page declares segments: { dimensions: [...], purpose: "...", kpi: "..." } in its frontmatter (or <SegmentPage> props).',
    );
  }
  return result.config;
}

/** A page that renders several personalized entries varies on all their dimensions. */
function mergePageConfigs(configs: readonly PageConfig[], source: string): PageConfig | undefined {
  const [first, ...rest] = configs;
  if (!first) return undefined;
  return rest.reduce<PageConfig>(
    (merged, next) => ({
      ...merged,
      file: merged.file ?? next.file ?? source,
      dimensions: [...new Set([...merged.dimensions, ...next.dimensions])],
      overrides: [...merged.overrides, ...next.overrides],
    }),
    first,
  );
}

async function htmlFiles(dir: string, prefix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => !file.startsWith(`${prefix}/`))
    .sort();
}

/** `pricing/index.html` → `/pricing`, `pricing.html` → `/pricing`, `index.html` → `/` (with base). */
export function routeKeyOf(file: string, base: string): string {
  const path = `/${file}`.replace(/\/index\.html$/, '/').replace(/\.html$/, '').replace(/\/$/, '');
  return `${base}${path}` || '/';
}

/** The URL a visitor uses for the file, honouring `trailingSlash`. */
function publicPathOf(file: string, trailingSlash: SiteSettings['trailingSlash'], base: string): string {
  const key = routeKeyOf(file, base);
  if (key === '/' || key === base) return `${key.replace(/\/$/, '')}/`;
  const directory = file.endsWith('/index.html') || file === 'index.html';
  return directory && trailingSlash !== 'never' ? `${key}/` : key;
}
