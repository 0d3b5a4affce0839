import type { Data, Node } from 'mdast';
import type { VFile } from 'vfile';

/**
 * Marks a page that declares `segments` in its frontmatter. remark-rehype turns
 * it into `<astro-segments-page data-config="{…json…}"></astro-segments-page>`,
 * which the integration's slicer reads and removes.
 */
export interface SegmentsPage extends Node {
  type: 'segmentsPage';
  data: SegmentsPageData;
}

export interface SegmentsPageData extends Data {
  hName: 'astro-segments-page';
  hProperties: { dataConfig: string };
}

declare module 'mdast' {
  interface RootContentMap {
    segmentsPage: SegmentsPage;
  }
}

/** What the page's frontmatter says about segments. */
export type PageSegments =
  | { readonly kind: 'absent'; readonly frontmatter: boolean }
  | { readonly kind: 'invalid'; readonly value: unknown }
  | { readonly kind: 'declared'; readonly config: Readonly<Record<string, unknown>> };

/**
 * The page's frontmatter: Astro's Markdown and MDX pipelines put it in
 * `file.data.astro.frontmatter`; vfile-matter uses `file.data.matter`; some
 * pipelines use `file.data.frontmatter`.
 */
export function readFrontmatter(file: VFile): Readonly<Record<string, unknown>> | undefined {
  const data = file.data as Record<string, unknown>;
  const astro = data.astro;
  const candidates = [isRecord(astro) ? astro.frontmatter : undefined, data.matter, data.frontmatter];
  return candidates.find(isRecord);
}

export function readPageSegments(frontmatter: Readonly<Record<string, unknown>> | undefined): PageSegments {
  if (!frontmatter) return { kind: 'absent', frontmatter: false };
  if (frontmatter.segments === undefined) return { kind: 'absent', frontmatter: true };
  const value = frontmatter.segments;
  return isRecord(value) ? { kind: 'declared', config: value } : { kind: 'invalid', value };
}

/** Head fields the integration's per-variant overrides replace. */
const HEAD_FIELDS = ['title', 'description', 'image'] as const;

/**
 * The marker node. Its JSON is the page's `segments` object plus `file` (the
 * source path, for error messages) and, when the frontmatter has them as
 * strings, `head` (the default title, description and image the
 * integration's `overrides` replace per variant). The integration validates
 * the whole object with line numbers; we pass it through unchanged.
 */
export function createPageMarker(
  file: VFile,
  frontmatter: Readonly<Record<string, unknown>>,
  segments: Readonly<Record<string, unknown>>,
  root: string = workingDirectory(),
): SegmentsPage {
  const head: Record<string, string> = {};
  for (const field of HEAD_FIELDS) {
    const value = frontmatter[field];
    if (typeof value === 'string') head[field] = value;
  }
  const config = { file: file.path ? sourcePath(file.path, root) : null, ...(Object.keys(head).length > 0 ? { head } : {}), ...segments };
  return {
    type: 'segmentsPage',
    data: { hName: 'astro-segments-page', hProperties: { dataConfig: JSON.stringify(config) } },
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The file as messages name it: relative to the project, `/`-separated. The
 * marker ends up in rendered HTML, which must never hold a path of the build
 * machine: a file outside the project is named by its file name alone.
 * String work only, so the plugin runs wherever unified does.
 */
export function sourcePath(path: string, root: string): string {
  const file = path.replaceAll('\\', '/');
  const base = root.replaceAll('\\', '/').replace(/\/+$/, '');
  if (base && file.startsWith(`${base}/`)) return file.slice(base.length + 1);
  return /^(?:\/|[A-Za-z]:\/)/.test(file) ? file.slice(file.lastIndexOf('/') + 1) : file;
}

/** The process's working directory where there is one (Node, Deno, Bun), else none. */
function workingDirectory(): string {
  return (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.() ?? '';
}
