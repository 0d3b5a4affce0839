/**
 * Generate an Astro site for the build benchmarks: `pages` Markdown pages under
 * one layout, of which `personalized` declare `segments` and hold `:::segment`
 * blocks. The same files build with and without the integration: without it the
 * frontmatter key is ignored and the block fences render as text, so both builds
 * render the same number of pages of about the same size.
 *
 * Deterministic: the same arguments write the same bytes.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { linkPublished } from './published.ts';

export interface DimensionSpec {
  readonly name: string;
  /** Values in priority order; the last one is the default (no rule). */
  readonly values: readonly string[];
}

/** How one personalized page varies: its dimensions and the conditions of its blocks, per dimension. */
export interface PageShape {
  readonly dims: readonly string[];
  /** Per dimension: a list of block conditions (a value list joined by ', '); an `otherwise` block follows. */
  readonly blocks: Readonly<Record<string, readonly string[]>>;
  /** A title override for the first value of the first dimension. */
  readonly titleOverride?: boolean;
}

export interface SiteSpec {
  readonly pages: number;
  readonly dimensions: readonly DimensionSpec[];
  /** Shapes of the personalized pages, used round-robin; their count is `personalized`. */
  readonly shapes: readonly PageShape[];
  readonly personalized: number;
  /**
   * Where the pages come from: one Markdown file per page under `src/pages` (the default), or
   * one entry per page in a content collection (glob loader) rendered by one dynamic route, as
   * large docs sites (Starlight among them) are built.
   */
  readonly source?: 'pages' | 'collection';
}

/** The site: 1,000 pages, 200 personalized on one or two dimensions of 3–4 values. */
export const MAIN_DIMENSIONS: readonly DimensionSpec[] = [
  { name: 'audience', values: ['customer', 'partner', 'accountant', 'prospect'] },
  { name: 'region', values: ['eu', 'na', 'intl'] },
  { name: 'campaign', values: ['spring', 'producthunt', 'none'] },
];

export const MAIN_SHAPES: readonly PageShape[] = [
  // audience only; partners and accountants share one output → 3 distinct, 2 variant files
  { dims: ['audience'], blocks: { audience: ['customer', 'partner, accountant'] }, titleOverride: true },
  // region only → 3 distinct, 2 variant files
  { dims: ['region'], blocks: { region: ['eu', 'na'] } },
  // audience × region → 2 × 3 = 6 distinct, 5 variant files
  { dims: ['audience', 'region'], blocks: { audience: ['customer'], region: ['eu', 'na'] } },
  // audience × campaign → 3 × 3 = 9 distinct, 8 variant files
  { dims: ['audience', 'campaign'], blocks: { audience: ['customer', 'partner'], campaign: ['spring', 'producthunt'] }, titleOverride: true },
];

export const mainSite = (pages = 1000, personalized = Math.round(pages / 5)): SiteSpec => ({
  pages,
  personalized,
  dimensions: MAIN_DIMENSIONS,
  shapes: MAIN_SHAPES,
});

/** `count` dimensions of `values` values, every page varying on all of them with one block per non-default value. */
export function gridSite(pages: number, personalized: number, count: number, values: number): SiteSpec {
  const dimensions = Array.from({ length: count }, (_, d) => ({
    name: `d${d}`,
    values: Array.from({ length: values }, (_, v) => `v${d}x${v}`),
  }));
  const shape: PageShape = {
    dims: dimensions.map((d) => d.name),
    blocks: Object.fromEntries(dimensions.map((d) => [d.name, d.values.slice(0, -1)])),
  };
  return { pages, personalized, dimensions, shapes: [shape] };
}

/** Rules for the generated dimensions: cheap, declarative, one per non-default value. */
function rulesFor(d: DimensionSpec): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  d.values.forEach((value, i) => {
    values[value] = i === d.values.length - 1 ? {} : { when: { utm_campaign: `${d.name}-${value}` } };
  });
  return { default: d.values.at(-1), values };
}

/** The `segments()` options for a spec (budgets raised: see BENCHMARKS.md). */
export function segmentsOptions(spec: SiteSpec): Record<string, unknown> {
  const dimensions: Record<string, unknown> = {};
  for (const d of spec.dimensions) {
    if (d.name === 'audience') {
      dimensions[d.name] = {
        default: 'prospect',
        values: {
          customer: { when: { cookie: 'session' } },
          partner: { when: { utm_source: 'partner-portal' } },
          accountant: { when: { utm_source: 'accountant-network' } },
          prospect: {},
        },
      };
    } else if (d.name === 'region') {
      dimensions[d.name] = { default: 'intl', values: { eu: { when: { continent: 'EU' } }, na: { when: { country: ['US', 'CA'] } }, intl: {} } };
    } else if (d.name === 'campaign') {
      dimensions[d.name] = {
        default: 'none',
        values: { spring: { when: { utm_campaign: 'spring-sale' } }, producthunt: { when: { referrer: { suffix: 'producthunt.com' } } }, none: {} },
      };
    } else dimensions[d.name] = rulesFor(d);
  }
  return { dimensions, budget: { perPage: 4096, perSite: 1_000_000 }, hosts: [] };
}

export type Mode = 'without' | 'with';

/**
 * - `with`: the integration
 * - `without`: the same site with Astro's defaults (the Sätteri Markdown processor), no integration
 */
function astroConfig(spec: SiteSpec, mode: Mode): string {
  const options = JSON.stringify(segmentsOptions(spec), null, 2);
  if (mode === 'without') return `import { defineConfig } from 'astro/config';\nexport default defineConfig({ site: 'https://bench.example' });\n`;
  // The hooks are wrapped to time them; each wrapper only measures and calls through.
  return `import { defineConfig } from 'astro/config';
import segments from 'astro-segments';

const integration = segments(${options});
const timings = (globalThis.__benchHookMs ??= {});
for (const [name, hook] of Object.entries(integration.hooks)) {
  integration.hooks[name] = async (...args) => {
    const start = performance.now();
    try {
      return await hook(...args);
    } finally {
      timings[name] = (timings[name] ?? 0) + performance.now() - start;
    }
  };
}
// Capture the marked-up pages before slicing, for the slicing micro-benchmark (the copy is timed, to be subtracted).
if (process.env.BENCH_CAPTURE) {
  const done = integration.hooks['astro:build:generated'];
  integration.hooks['astro:build:generated'] = async (options) => {
    const { cp } = await import('node:fs/promises');
    const start = performance.now();
    await cp(options.dir, process.env.BENCH_CAPTURE, { recursive: true });
    globalThis.__benchCaptureMs = performance.now() - start;
    return done(options);
  };
}
export default defineConfig({ site: 'https://bench.example', integrations: [integration] });
`;
}

const WORDS =
  'ledger invoice close accrual receipt balance payroll filing quarter founder runway margin revenue expense audit budget forecast tax return vendor customer account reconcile statement deadline export report entry journal team approve'.split(
    ' ',
  );

/** Deterministic filler: `n` words from seed `s`. */
function words(s: number, n: number): string {
  let x = s * 2654435761 + 1;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length]!);
  }
  const text = out.join(' ');
  return `${text[0]!.toUpperCase() + text.slice(1)}.`;
}

function body(i: number): string {
  const para = (k: number) => `${words(i * 31 + k, 40)} ${words(i * 17 + k, 25)}`;
  return [
    `## Overview\n\n${para(1)}\n\n${para(2)}`,
    `## How it works\n\n- ${words(i + 3, 8)}\n- ${words(i + 4, 9)}\n- ${words(i + 5, 7)}\n- [Read more](/p/${(i + 1) % 50}/)`,
    `| Step | What | When |\n| --- | --- | --- |\n| 1 | ${words(i + 6, 3)} | Monday |\n| 2 | ${words(i + 7, 3)} | Friday |\n| 3 | ${words(i + 8, 3)} | Month end |`,
    `## Details\n\n${para(3)}\n\n${para(4)}\n\n> ${words(i + 9, 20)}`,
  ].join('\n\n');
}

function segmentBlocks(shape: PageShape, i: number): string {
  const out: string[] = [];
  for (const dim of shape.dims) {
    const conditions = shape.blocks[dim] ?? [];
    for (const [k, condition] of conditions.entries()) {
      out.push(`:::segment{${dim}="${condition}"}\n${words(i * 7 + k + dim.length, 30)} For ${condition}.\n:::`);
    }
    out.push(`:::segment{otherwise}\n${words(i * 11 + dim.length, 30)} The standard ${dim} text.\n:::`);
  }
  return out.join('\n\n');
}

function page(spec: SiteSpec, i: number): string {
  const shape = i < spec.personalized ? spec.shapes[i % spec.shapes.length] : undefined;
  const layout = spec.source === 'collection' ? [] : [`layout: ../../layouts/Page.astro`];
  const fm = [...layout, `title: Page ${i} — ${words(i, 4).slice(0, -1)}`, `description: ${words(i + 1, 12)}`];
  if (shape) {
    fm.push(`segments:`, `  dimensions: [${shape.dims.join(', ')}]`, `  purpose: Benchmark page ${i} shows each segment its own copy`, `  kpi: Sign-ups`);
    if (shape.titleOverride) {
      const dim = shape.dims[0]!;
      const value = shape.blocks[dim]![0]!.split(',')[0]!.trim();
      fm.push(`  overrides:`, `    - when: { ${dim}: ${value} }`, `      title: Page ${i} for ${value}`);
    }
  }
  const blocks = shape ? `\n\n${segmentBlocks(shape, i)}` : '';
  return `---\n${fm.join('\n')}\n---\n\n# Page ${i}\n\n${words(i + 2, 30)}${blocks}\n\n${body(i)}\n`;
}

const LAYOUT = `---
import '../styles/site.css';
const { frontmatter = {} } = Astro.props;
---
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>{frontmatter.title} · Bench</title>
    <meta name="description" content={frontmatter.description} />
    <meta property="og:title" content={frontmatter.title} />
  </head>
  <body>
    <header><a href="/">Bench</a> <nav><a href="/p/0/">First</a> <a href="/p/1/">Second</a></nav></header>
    <main><slot /></main>
    <footer><p>A generated site for the astro-segments build benchmark.</p></footer>
  </body>
</html>
`;

/** Write the site at `root` (replaced), with the integration installed as a user installs it. Returns the path. */
export async function writeSite(root: string, spec: SiteSpec, mode: Mode): Promise<string> {
  await rm(root, { recursive: true, force: true });
  if (mode === 'with') await linkPublished(root);
  const collection = spec.source === 'collection';
  const pagesDir = collection ? join(root, 'src', 'content', 'pages') : join(root, 'src', 'pages', 'p');
  await mkdir(pagesDir, { recursive: true });
  await mkdir(join(root, 'src', 'pages', 'p'), { recursive: true });
  await mkdir(join(root, 'src', 'layouts'), { recursive: true });
  await mkdir(join(root, 'src', 'styles'), { recursive: true });
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'bench-site', private: true, type: 'module' }, null, 2));
  await writeFile(join(root, 'astro.config.mjs'), astroConfig(spec, mode));
  await writeFile(join(root, 'src', 'layouts', 'Page.astro'), LAYOUT);
  await writeFile(join(root, 'src', 'styles', 'site.css'), 'body { font: 16px/1.5 system-ui; margin: 0 auto; max-width: 48rem; }\n');
  await writeFile(join(root, 'src', 'pages', 'index.md'), `---\nlayout: ../layouts/Page.astro\ntitle: Home\n---\n\n# Home\n\n${words(0, 40)}\n`);
  if (collection) {
    await writeFile(join(root, 'src', 'content.config.ts'), contentConfig(mode));
    await writeFile(join(root, 'src', 'pages', 'p', '[...slug].astro'), ENTRY_ROUTE);
  }
  for (let start = 0; start < spec.pages; start += 100) {
    await Promise.all(Array.from({ length: Math.min(100, spec.pages - start) }, (_, k) => writeFile(join(pagesDir, `${start + k}.md`), page(spec, start + k))));
  }
  return root;
}

/** The collection: the same front matter either way; without the integration, zod drops the `segments` key. */
const contentConfig = (mode: Mode) => `import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
${mode === 'with' ? "import { segmentsSchema } from 'astro-segments/schema';\n" : ''}
export const collections = {
  pages: defineCollection({
    loader: glob({ pattern: '*.md', base: './src/content/pages' }),
    schema: z.object({ title: z.string(), description: z.string()${mode === 'with' ? ', segments: segmentsSchema().optional()' : ''} }),
  }),
};
`;

/** One dynamic route renders every entry, in the layout the Markdown pages use. */
const ENTRY_ROUTE = `---
import { getCollection, render } from 'astro:content';
import Page from '../../layouts/Page.astro';

export async function getStaticPaths() {
  return (await getCollection('pages')).map((entry) => ({ params: { slug: entry.id }, props: { entry } }));
}
const { entry } = Astro.props;
const { Content } = await render(entry);
---
<Page frontmatter={entry.data}><Content /></Page>
`;

/** Files a naive build would emit: every page once per combination of all the site's values. */
export const naiveFiles = (spec: SiteSpec) => (spec.pages + 1) * spec.dimensions.reduce((p, d) => p * d.values.length, 1);

/** Without sharing identical outputs: each personalized page once per combination of its own dimensions. */
export function perPageCombinations(spec: SiteSpec): number {
  let total = spec.pages + 1 - spec.personalized;
  for (let i = 0; i < spec.personalized; i++) {
    const shape = spec.shapes[i % spec.shapes.length]!;
    total += shape.dims.reduce((p, name) => p * spec.dimensions.find((d) => d.name === name)!.values.length, 1);
  }
  return total;
}
