import { isAbsolute, relative, sep } from 'node:path';
import type { CompiledSite } from '../compile-site.ts';
import { ruleText } from '../rule-text.ts';
import { makesDifference, noticesIn, withoutNotices } from '../lints/compare-versions.ts';
import type { Lint } from '../lints/lint.ts';
import type { ResolvedOptions } from '../validate-options.ts';
import { diffLines, type Change } from './diff-lines.ts';
import { changedLines, readableLines } from './extract-text.ts';

/** Bump on any incompatible change to the report's JSON. */
export const REPORT_VERSION = 1;

export interface ReportFile {
  /** Path inside the build output, `/`-separated: `_segments/0k3v9x2m7q1a.html`. */
  readonly file: string;
  /** Static label the file carries: `audience=customer+partner`. */
  readonly label: string;
  /** Combinations it serves (`customer/eu`, in the page's dimension order). */
  readonly serves: readonly string[];
  readonly bytes: number;
}

export interface ReportVariant extends ReportFile {
  readonly hash: string;
  /** What a visitor reads differently from the default page, in reading order, leaving out the notice. */
  readonly changes: readonly Change[];
  /** The sentences of the `<SegmentNotice>` asides this file shows, if the layout has one. */
  readonly notice: readonly string[];
}

export interface ReportPage {
  readonly route: string;
  readonly source: string;
  readonly purpose: string;
  readonly kpi: string;
  readonly dimensions: readonly string[];
  readonly combinations: number;
  /** Personalized blocks written for the page (layout-wide optional ones not counted). */
  readonly blocks: number;
  readonly default: ReportFile;
  readonly variants: readonly ReportVariant[];
  /** Per dimension of the page, the values that change what a visitor sees on it. */
  readonly effective: Readonly<Record<string, readonly string[]>>;
}

export interface ReportValue {
  readonly name: string;
  readonly label: string;
  readonly relationship: boolean;
  readonly default: boolean;
  /** Each rule in words: `cookie "session" is present`, `utm_source is "partner-portal"`. */
  readonly rules: readonly string[];
  /** Routes whose visitors see something different for this value. */
  readonly pages: readonly string[];
}

export interface Report {
  readonly version: typeof REPORT_VERSION;
  readonly generatedAt: string;
  readonly prefix: string;
  readonly summary: {
    readonly pages: number;
    readonly dimensions: readonly string[];
    readonly combinations: number;
    /** Combinations served a file of their own (not the default page). */
    readonly variants: number;
    /** Distinct variant files (combinations that render alike share one). */
    readonly files: number;
    /** Total size of the variant files. */
    readonly bytes: number;
    readonly warnings: number;
  };
  readonly dimensions: readonly { readonly name: string; readonly default: string; readonly values: readonly ReportValue[] }[];
  readonly pages: readonly ReportPage[];
  readonly lints: readonly Lint[];
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/** Everything the HTML and JSON reports show, computed once from the compiled site. */
export function buildReport(
  site: CompiledSite,
  options: ResolvedOptions,
  lints: readonly Lint[],
  { root, now = new Date() }: { readonly root?: string; readonly now?: Date } = {},
): Report {
  // Source paths as the project sees them: `src/pages/pricing.md`.
  const shown = (file: string) => {
    if (root === undefined || !isAbsolute(file)) return file;
    const path = relative(root, file);
    return path.startsWith('..') || isAbsolute(path) ? file : path.split(sep).join('/');
  };
  const pages: ReportPage[] = site.pages.map((page) => {
    const defaultHtml = withoutNotices(page.defaultHtml);
    const effective: Record<string, string[]> = {};
    for (const dimension of options.dimensions) {
      if (!page.dimensions.includes(dimension.name)) continue;
      effective[dimension.name] = dimension.values
        .filter((value) => makesDifference(page, site, options, dimension.name, value.name))
        .map((value) => value.name);
    }
    return {
      route: page.route,
      source: shown(page.source),
      purpose: page.purpose,
      kpi: page.kpi,
      dimensions: page.dimensions,
      combinations: page.combinations,
      blocks: page.blocks.filter((block) => !block.optional).length,
      default: { file: page.file, label: page.defaultFile.label, serves: page.defaultFile.serves, bytes: byteLength(page.defaultHtml) },
      variants: page.variantFiles.map((variant) => {
        const html = site.files.get(variant.hash) ?? '';
        return {
          file: `${options.prefix}/${variant.hash}.html`,
          hash: variant.hash,
          label: variant.label,
          serves: variant.serves,
          bytes: byteLength(html),
          changes: changedLines(defaultHtml, withoutNotices(html), diffLines),
          notice: noticesIn(html).flatMap((notice) => readableLines(notice).slice(0, 1)),
        };
      }),
      effective,
    };
  });
  const used = (dimension: string, value: string) => pages.filter((page) => page.effective[dimension]?.includes(value)).map((page) => page.route);
  const files = new Set(pages.flatMap((page) => page.variants.map((variant) => variant.hash)));
  return {
    version: REPORT_VERSION,
    generatedAt: now.toISOString(),
    prefix: options.prefix,
    summary: {
      pages: pages.length,
      dimensions: options.dimensions.map((dimension) => dimension.name).filter((name) => pages.some((page) => page.dimensions.includes(name))),
      combinations: pages.reduce((sum, page) => sum + page.combinations, 0),
      variants: site.pages.reduce((sum, page) => sum + Object.keys(page.variants).length, 0),
      files: files.size,
      bytes: [...files].reduce((sum, hash) => sum + byteLength(site.files.get(hash) ?? ''), 0),
      warnings: lints.length,
    },
    dimensions: options.dimensions.map((dimension) => ({
      name: dimension.name,
      default: dimension.default,
      values: dimension.values.map((value) => ({
        name: value.name,
        label: value.label,
        relationship: value.relationship,
        default: value.name === dimension.default,
        rules: value.rules.map(ruleText),
        pages:
          value.name === dimension.default
            ? pages.filter((page) => page.dimensions.includes(dimension.name)).map((page) => page.route)
            : used(dimension.name, value.name),
      })),
    })),
    pages,
    lints: lints.map((lint) => ({ ...lint, file: shown(lint.file) })),
  };
}
