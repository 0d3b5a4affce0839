import type { Assignment } from 'remark-segments/condition';
import { BuildProblem } from './build-problem.ts';
import { findMarkers, type Markers } from './markers.ts';
import { parsePageConfig, type PageConfig } from './page-config.ts';
import { applyHeadOverrides, renderAssignment, resolveBlocks, SliceError, type ResolvedBlock } from './slice.ts';
import { headingIds, pruneHeadingLinks } from './toc.ts';
import { assetsInBlocks, restoreAssets } from './page-assets.ts';
import type { ResolvedDimension, ResolvedOptions } from './validate-options.ts';

/** Hard stop before enumerating combinations, whatever the budget says. */
const MAX_COMBINATIONS = 4096;

/** A rendered page read for slicing: its markers, its declaration, its dimensions. */
export interface PreparedPage {
  readonly markers: Markers;
  readonly page: PageConfig;
  /** Where a mistake on this page is reported: its Markdown source or its route component. */
  readonly where: string;
  /** The site's dimensions this page varies on, in site order. */
  readonly dimensions: readonly ResolvedDimension[];
  readonly combinations: number;
  readonly blocks: readonly ResolvedBlock[];
  /** Ids of the headings inside blocks: the ones a version may not have. */
  readonly blockHeadingIds: ReadonlySet<string>;
  /** Once-per-page assets written inside a block (see `page-assets.ts`), if any. */
  readonly blockAssets: string | undefined;
}

/**
 * Read one rendered page (at build, or per request in `astro dev`) and check
 * everything about its personalization before any variant is made.
 */
export function preparePage(html: string, source: string, options: ResolvedOptions): PreparedPage {
  const markers = findMarkers(html);
  const page = mergePageConfigs(
    markers.pages.map((marker) => readPageConfig(marker.config, source)),
    source,
  );
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
  const blockHeadingIds = new Set(markers.blocks.flatMap((block) => headingIds(html, block.innerStart, block.innerEnd)));
  return { markers, page, where, dimensions, combinations, blocks, blockHeadingIds, blockAssets: assetsInBlocks(html, markers.blocks) };
}

/**
 * The page's HTML for one assignment of values to its dimensions. Optional
 * blocks (a layout's notice) see the effective assignment, or nothing at all
 * when `optional` is null.
 */
export function renderPage(
  prepared: Pick<PreparedPage, 'markers' | 'page' | 'blocks' | 'blockHeadingIds' | 'blockAssets'>,
  html: string,
  assignment: Assignment,
  optional: Assignment | null = assignment,
): string {
  const rendered = restoreAssets(renderAssignment(html, prepared.markers, prepared.blocks, assignment, optional), prepared.blockAssets);
  const hidden = hiddenHeadings(prepared, rendered);
  const pruned = pruneHeadingLinks(rendered, hidden);
  refuseHiddenHeadingLinks(pruned, hidden, assignment);
  return applyHeadOverrides(pruned, prepared.page, assignment);
}

/**
 * A version must not link to a heading it does not show: what `pruneHeadingLinks` cannot
 * remove (a table of contents in another form than list items of links) would name a
 * section written for another version.
 */
function refuseHiddenHeadingLinks(html: string, hidden: ReadonlySet<string>, assignment: Assignment): void {
  const named = [...hidden].find((id) => html.includes(`href="#${id}"`));
  if (named === undefined) return;
  const version = Object.entries(assignment)
    .map(([dimension, value]) => `${dimension}=${value}`)
    .join(', ');
  throw new SliceError(
    `The version for ${version} does not show the heading #${named}, but still links to it outside a list the build can prune: it would name a section written for another version (a table of contents built from the headings of render() or getHeadings(), in another form than <li><a href="#…">).`,
    'Render each table-of-contents entry as a list item that holds only its link (<li><a href="#id">…</a></li>, as Starlight does): the build removes the entries of headings a version does not show. Or link only to headings outside segment blocks.',
  );
}

/** Headings some version has and this rendered one does not: its table of contents must not list them. */
export function hiddenHeadings(prepared: Pick<PreparedPage, 'blockHeadingIds'>, rendered: string): Set<string> {
  if (prepared.blockHeadingIds.size === 0) return new Set();
  const shown = new Set(headingIds(rendered));
  return new Set([...prepared.blockHeadingIds].filter((id) => !shown.has(id)));
}

/**
 * The assignment as the page's own content tells it: a value that renders the
 * page exactly like its dimension's default reads as that default. Optional
 * blocks use it, so a notice never claims "the version for partners" on a page
 * with nothing for partners, and adds no file of its own.
 *
 * @param own the page rendered without optional blocks, memoized by the caller
 */
export function effectiveAssignment(dimensions: readonly ResolvedDimension[], assignment: Assignment, own: (assignment: Assignment) => string): Assignment {
  const base = own(assignment);
  const effective: Record<string, string> = { ...assignment };
  for (const dimension of dimensions) {
    if (assignment[dimension.name] === dimension.default) continue;
    if (own({ ...assignment, [dimension.name]: dimension.default }) === base) effective[dimension.name] = dimension.default;
  }
  return effective;
}

/** Memoized rendering without optional blocks, keyed by the assignment's values in dimension order. */
export function ownContent(prepared: PreparedPage, html: string): (assignment: Assignment) => string {
  const cache = new Map<string, string>();
  return (assignment) => {
    const key = prepared.dimensions.map((dimension) => assignment[dimension.name]).join('/');
    let rendered = cache.get(key);
    if (rendered === undefined) cache.set(key, (rendered = renderPage(prepared, html, assignment, null)));
    return rendered;
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
  if (rest.length === 0) return first;
  const dimensions = new Set(first.dimensions);
  // Each override keeps the head it replaces: its own entry's (see Override.head).
  const overrides = first.overrides.map((entry) => ({ ...entry, head: first.head }));
  let file = first.file;
  for (const next of rest) {
    for (const dimension of next.dimensions) dimensions.add(dimension);
    overrides.push(...next.overrides.map((entry) => ({ ...entry, head: next.head })));
    file ??= next.file ?? source;
  }
  return { ...first, file, dimensions: [...dimensions], overrides };
}
