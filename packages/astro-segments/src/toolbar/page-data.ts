/**
 * What the Dev Toolbar app shows for one personalized page, embedded by the dev
 * middleware into that page's response as
 * `<script type="application/json" id="astro-segments-dev">`. Only `astro dev`
 * ever writes it: the build and every host output never do.
 *
 * Embedding (rather than the app re-fetching the page to read `X-Segments`)
 * describes exactly the response on screen, costs no second request, and never
 * repeats a request's side effect (a `?segment=` choice sets a cookie).
 */
import { insertInHead } from '../slice.ts';
import type { ResolvedDimension, ResolvedOptions } from '../validate-options.ts';
import { ruleText } from '../rule-text.ts';
import { explain, parseReasons } from './explain.ts';

export const TOOLBAR_DATA_ID = 'astro-segments-dev';

/**
 * Dev-only routes the middleware answers, under the site's `base`. With a file extension, so
 * Astro's dev server lets them through whatever the site's `trailingSlash` (it answers a path
 * without one that breaks the rule with a 404 before any middleware of ours runs).
 */
export const DEV_ROUTES = { report: '/_astro-segments/report.html' } as const;

/** The signals the dev server simulates, by query parameter suffix (`?segment-country=`). */
export const SIMULATED = ['country', 'referrer', 'language', 'gpc'] as const;

export interface ToolbarValue {
  readonly name: string;
  readonly label: string;
  /** Each rule in words; empty when the value is only ever chosen or the default. */
  readonly rules: readonly string[];
}

export interface ToolbarDimension {
  readonly name: string;
  readonly default: string;
  /** The value this response got. */
  readonly value: string;
  /** The router's reason: `rule 1`, `choice`, `default`… */
  readonly reason: string;
  /** The reason in a sentence. */
  readonly why: string;
  readonly values: readonly ToolbarValue[];
}

export interface ToolbarData {
  readonly version: 1;
  readonly param: string;
  readonly previewParam: string;
  readonly cookie: string;
  /** The dimensions this page varies on, in site order. */
  readonly dimensions: readonly ToolbarDimension[];
  /** Simulated signals in effect for this response (`?segment-country=` …). */
  readonly simulated: Readonly<Record<(typeof SIMULATED)[number], string>>;
  /** The dev route serving the last build report. */
  readonly report: string;
}

/**
 * @param header the decision's `X-Segments` header (the dev server always has debug on)
 * @param values the values the page was rendered with
 */
export function toolbarData(
  options: ResolvedOptions,
  dimensions: readonly ResolvedDimension[],
  values: Readonly<Record<string, string>>,
  header: string | undefined,
  url: URL,
  base: string,
): ToolbarData {
  const reasons = parseReasons(header);
  return {
    version: 1,
    param: options.param,
    previewParam: options.previewParam,
    cookie: options.cookie.name,
    dimensions: dimensions.map((dimension) => {
      const value = values[dimension.name] ?? dimension.default;
      const reason = reasons.find((entry) => entry.dimension === dimension.name)?.reason ?? 'default';
      return {
        name: dimension.name,
        default: dimension.default,
        value,
        reason,
        why: explain(dimension, value, reason, options.param, options.previewParam, options.cookie.name),
        values: dimension.values.map((candidate) => ({ name: candidate.name, label: candidate.label, rules: candidate.rules.map(ruleText) })),
      };
    }),
    simulated: Object.fromEntries(SIMULATED.map((name) => [name, url.searchParams.get(`${options.param}-${name}`) ?? ''])) as ToolbarData['simulated'],
    report: `${base.replace(/\/+$/, '')}${DEV_ROUTES.report}`,
  };
}

/** Embed the data in the page's head. `<` is escaped so no value can close the script element. */
export function embedToolbarData(html: string, data: ToolbarData): string {
  const json = JSON.stringify(data).replaceAll('<', '\\u003c');
  return insertInHead(html, `<script type="application/json" id="${TOOLBAR_DATA_ID}">${json}</script>`);
}
