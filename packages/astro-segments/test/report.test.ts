import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type BuiltFixture } from '../../../test/utils/fixture.ts';
import { options as fixtureOptions } from '../../../test/fixtures/report-site/segments.config.mjs';
import { compileSite, type CompiledSite } from '../src/compile-site.ts';
import { escapeHtml as escapeForReport } from '../src/escape-html.ts';
import { lintSite, type Lint } from '../src/lints/index.ts';
import { diffLines } from '../src/report/diff-lines.ts';
import { changedLines, commonLength, readableLines } from '../src/report/extract-text.ts';
import { writeGpc, writeReport, type Report, type ReportPage } from '../src/report/index.ts';
import { validateOptions } from '../src/validate-options.ts';

const options = validateOptions(fixtureOptions);

let site: BuiltFixture;
let compiled: CompiledSite;
let lints: Lint[];
let written: Awaited<ReturnType<typeof writeReport>>;
let report: Report;
let html: string;

beforeAll(async () => {
  site = await buildFixture('report-site');
  // The fixture copies the output before astro-segments slices it: compile exactly what the integration saw.
  const raw = `${site.outDir}-raw`;
  const sources = JSON.parse(await readFile(join(raw, 'sources.json'), 'utf8')) as Record<string, string>;
  compiled = await compileSite(raw, options, { base: '/', site: 'https://ledgerly.example', trailingSlash: 'ignore' }, (file) => sources[file]);
  lints = lintSite(compiled, options);
  written = await writeReport(compiled, options, lints, { root: site.root, outDir: site.outDir, publish: false });
  report = JSON.parse(await readFile(written.jsonPath, 'utf8')) as Report;
  html = await readFile(written.htmlPath, 'utf8');
});
afterAll(async () => {
  await site?.cleanup();
  if (site) {
    await rm(`${site.outDir}-raw`, { recursive: true, force: true });
    await rm(join(site.root, '.astro-segments'), { recursive: true, force: true });
  }
});

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
const pageOf = (route: string) => report.pages.find((page) => page.route === route)!;
const variantOf = (page: ReportPage, key: string) => page.variants.find((variant) => variant.serves.includes(key))!;
/** Every relative link of an HTML report, resolved from where the report lives. */
const linksOf = (text: string, from: string) =>
  [...text.matchAll(/href="([^"#][^"]*)"/g)].map((match) => resolvePath(dirname(from), decodeURIComponent(match[1]!)));

describe('the report files', () => {
  it('are written outside the deployed site, with a .gitignore of their own', () => {
    expect(written.htmlPath).toBe(join(site.root, '.astro-segments', 'report.html'));
    expect(written.jsonPath).toBe(join(site.root, '.astro-segments', 'report.json'));
    expect(existsSync(join(site.root, '.astro-segments', '.gitignore'))).toBe(true);
    expect(existsSync(join(site.outDir, options.prefix, 'report.html'))).toBe(false);
  });

  it('come with the terminal summary: pages, dimensions, variants, files, bytes, warnings', () => {
    expect(written.summary).toEqual([
      '3 personalized pages, varying on audience, campaign, region.',
      expect.stringMatching(
        new RegExp(
          `^${report.summary.files} variant files \\(\\d+\\.\\d kB\\) in /_segments/ serve ${report.summary.variants} of 18 combinations; the others get the standard version\\.$`,
        ),
      ),
      '2 lint warnings.',
      'Report: .astro-segments/report.html (not deployed).',
    ]);
  });

  it('say so when nothing is personalized', async () => {
    const root = await mkdtemp(join(tmpdir(), 'empty-report-'));
    const empty = await writeReport({ manifest: compiled.manifest, pages: [], files: new Map(), plain: new Map() }, options, [], {
      root,
      outDir: join(root, 'dist'),
      publish: false,
    });
    expect(empty.summary).toEqual(['No personalized pages.', 'No lint warnings.', 'Report: .astro-segments/report.html (not deployed).']);
    expect(await readFile(empty.htmlPath, 'utf8')).toContain('No personalized pages.');
    await rm(root, { recursive: true, force: true });
  });
});

describe('escaping', () => {
  it('escapes the five characters of HTML text and attributes in one pass, like one replacement per character', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '&', '<', '>', '"', "'", ';', 'é', '&amp;') }), (text) => {
        expect(escapeForReport(text)).toBe(escapeHtml(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('what a variant changes', () => {
  it('is read only where the versions differ, with the same lines as reading them whole', () => {
    let compared = 0;
    for (const page of compiled.pages) {
      for (const variant of page.variantFiles) {
        const html = compiled.files.get(variant.hash)!;
        expect(changedLines(page.defaultHtml, html, diffLines)).toEqual(diffLines(readableLines(page.defaultHtml), readableLines(html)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3);
  });

  it('cuts only at block tags outside scripts and comments', () => {
    const page = (middle: string) =>
      `<html><head><title>T</title></head><body><p>Same</p><script>const a = "<p>x</p>";</script><!-- <div> -->${middle}<p>End</p></body></html>`;
    const a = page('<p>Old <b>text</b></p>');
    const b = page('<p>New <b>text</b></p><div>More</div>');
    expect(changedLines(a, b, diffLines)).toEqual(diffLines(readableLines(a), readableLines(b)));
  });

  it('reads a page the same whatever its scripts, templates and comments hold', () => {
    const page = (middle: string) =>
      `<html><head><title>T</title><meta name="robots" content="noindex"></head><body><p>Same</p>` +
      `<script>const a = "<!--"; const b = "<p>x</p>";</script><template><div>Hidden</div></template>${middle}<p>End</p>` +
      `<svg><text><p>drawn</p></text></svg><p>After</p></body></html>`;
    const a = page('<p>Old</p>');
    const b = page('<p>New</p><div>More</div>').replace('noindex', 'index');
    expect(changedLines(a, b, diffLines)).toEqual(diffLines(readableLines(a), readableLines(b)));
    expect(changedLines(a, b, diffLines)).toEqual([{ removed: ['Old'], added: ['New', 'More'] }]);
  });

  it('finds where two versions start and stop differing as a loop over their characters would', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '<', 'p', '>') }), fc.string({ unit: fc.constantFrom('a', 'b', '<', 'p', '>') }), (a, b) => {
        const limit = Math.min(a.length, b.length);
        let prefix = 0;
        while (prefix < limit && a[prefix] === b[prefix]) prefix++;
        let suffix = 0;
        while (suffix < limit && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
        expect(commonLength(limit, (from, to) => a.slice(from, to) === b.slice(from, to))).toBe(prefix);
        expect(commonLength(limit, (from, to) => a.slice(a.length - to, a.length - from) === b.slice(b.length - to, b.length - from))).toBe(suffix);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('report.json', () => {
  it('is versioned and sums up the site', () => {
    expect(report.version).toBe(1);
    expect(report.prefix).toBe('_segments');
    expect(report.summary).toMatchObject({ pages: 3, dimensions: ['audience', 'campaign', 'region'], combinations: 18, warnings: 2 });
    expect(report.summary.files).toBe(compiled.files.size);
    expect(report.summary.variants).toBe(compiled.pages.reduce((sum, page) => sum + Object.keys(page.variants).length, 0));
    expect(report.summary.bytes).toBe([...compiled.files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0));
  });

  it('gives each page its purpose, KPI, dimensions, counts and source (relative to the project)', () => {
    expect(report.pages.map((page) => page.route)).toEqual(['/deadlines', '/pricing', '/yearend']);
    expect(pageOf('/pricing')).toMatchObject({
      source: 'src/pages/pricing.md',
      purpose: 'Show customers their upgrade path instead of the sign-up pitch',
      kpi: 'Upgrade clicks',
      dimensions: ['audience'],
      combinations: 4,
      blocks: 3,
      // Accountants and partners have no content of their own here: they share the standard file.
      default: { file: 'pricing/index.html', label: 'audience=prospect+accountant+partner', serves: ['prospect', 'accountant', 'partner'] },
      effective: { audience: ['customer'] },
    });
    expect(pageOf('/yearend').source).toBe('src/pages/yearend.astro');
    expect(pageOf('/deadlines').effective).toEqual({ audience: ['customer'], region: ['uk', 'eu'] });
  });

  it('links each variant to its file in the build output', () => {
    for (const page of report.pages) {
      expect(existsSync(join(site.outDir, page.default.file)), page.default.file).toBe(true);
      for (const variant of page.variants) {
        expect(variant.file).toBe(`_segments/${variant.hash}.html`);
        expect(existsSync(join(site.outDir, variant.file)), variant.file).toBe(true);
        expect(variant.bytes).toBeGreaterThan(0);
      }
    }
  });

  it('shows what a variant changes, head included, with the notice apart', () => {
    const customer = variantOf(pageOf('/pricing'), 'customer');
    expect(customer.label).toBe('audience=customer');
    expect(customer.changes).toEqual([
      { removed: ['Title: Pricing | Ledgerly'], added: ['Title: Your plan | Ledgerly'] },
      { removed: ['Meta og:title: Pricing'], added: ['Meta og:title: Your plan'] },
      { removed: ['Start your free trial today.'], added: ['You are on the Starter plan. Upgrade.'] },
    ]);
    expect(customer.notice).toEqual(['You are seeing the version of this page for Ledgerly customers, because you are logged in, or because you chose it.']);
    // The accountant block repeats the otherwise text, so the notice makes no file for it either.
    expect(pageOf('/pricing').variants.map((variant) => variant.label)).toEqual(['audience=customer']);
    expect(variantOf(pageOf('/deadlines'), 'customer/uk').changes).toEqual([
      { removed: [], added: ['Corporation tax is due nine months and a day after your year end.', 'We file these for you.'] },
    ]);
  });

  it('describes each value: label, rules in words, and the pages it changes', () => {
    const [audience, campaign, region] = report.dimensions;
    expect(audience!.values.map((value) => [value.name, value.pages])).toEqual([
      ['customer', ['/deadlines', '/pricing']],
      ['accountant', []],
      ['partner', []],
      ['prospect', ['/deadlines', '/pricing']],
    ]);
    expect(audience!.values[0]).toMatchObject({ label: 'Ledgerly customers', relationship: true, default: false, rules: ['cookie "session" is present'] });
    expect(campaign!.values[0]!.rules).toEqual(['utm_campaign is "year-end-close" and until 2027-02-01 (exclusive)']);
    expect(region!.values.map((value) => value.rules)).toEqual([['country is GB'], ['continent is EU'], []]);
  });

  it('lists the lints with files relative to the project', () => {
    expect(report.lints.map((lint) => [lint.rule, lint.file])).toEqual([
      ['unused-value', 'astro.config'],
      ['dead-variant', 'src/pages/pricing.md'],
    ]);
    expect(report.lints[1]!.message).toContain('/pricing: blocks target audience=accountant');
    // The build only ever knows paths relative to the project: rendered pages carry no absolute path.
    expect(lints[1]!.file).toBe('src/pages/pricing.md');
  });
});

describe('report.html', () => {
  it('is self-contained: no script, no external stylesheet, image or font, and noindex', () => {
    expect(html).not.toMatch(/<script|<link\b|<img\b|<iframe|\bsrc=|url\(|@import/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/);
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it('shows every page with purpose and KPI, and a side-by-side of what differs', () => {
    for (const page of report.pages) {
      expect(html).toContain(`<h3>${page.route}</h3>`);
      expect(html).toContain(`<dt>Purpose</dt><dd>${escapeHtml(page.purpose)}</dd><dt>KPI</dt><dd>${escapeHtml(page.kpi)}</dd>`);
    }
    expect(html).toContain('<th scope="col">Standard version</th><th scope="col">This version</th>');
    expect(html).toContain(
      '<tr><td class="before"><p>Start your free trial today.</p></td><td class="after"><p>You are on the Starter plan. Upgrade.</p></td></tr>',
    );
  });

  it('draws variants per page and coverage as accessible inline SVG', () => {
    const svgs = [...html.matchAll(/<svg\b[^>]*>[\s\S]*?<\/svg>/g)].map((match) => match[0]);
    expect(svgs).toHaveLength(2);
    expect(svgs[0]).toContain('role="img" aria-labelledby="variants-chart-title variants-chart-desc"');
    expect(svgs[0]).toContain('<title id="variants-chart-title">Variant files per page</title>');
    expect(svgs[0]).toContain(`${pageOf('/deadlines').variants.length} variants of 12 combinations`);
    expect(svgs[1]).toContain('<title id="coverage-chart-title">Which values change which pages</title>');
    expect(svgs[1]).toContain('<title>/pricing, audience=customer: has content of its own</title>');
    expect(svgs[1]).toContain('<title>/pricing, audience=accountant: renders like the default</title>');
    expect(svgs[1]).toContain('<title>/pricing, region=uk: the page does not vary on this dimension</title>');
  });

  it('lists each lint with its file and fix', () => {
    for (const lint of report.lints) {
      expect(html).toContain(`<td><code>${lint.file}</code></td>`);
      expect(html).toContain(`<td>${escapeHtml(lint.message)}</td><td>${escapeHtml(lint.fix)}</td>`);
    }
  });

  it('links to files that exist, relative to where the report lives', () => {
    const links = linksOf(html, written.htmlPath);
    expect(links.length).toBe(report.pages.reduce((sum, page) => sum + page.variants.length * 1 + 1, 0));
    for (const link of links) expect(existsSync(link), link).toBe(true);
  });

  it('escapes what authors wrote', async () => {
    const root = await mkdtemp(join(tmpdir(), 'escape-report-'));
    const page = { ...compiled.pages[1]!, purpose: '<img src=x onerror=alert(1)> & "quotes"' };
    const out = await writeReport({ ...compiled, pages: [page] }, options, [], { root, outDir: site.outDir, publish: false });
    const text = await readFile(out.htmlPath, 'utf8');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(text).not.toContain('<img');
    await rm(root, { recursive: true, force: true });
  });
});

describe('publish: true', () => {
  it('also writes the HTML into the site, with links rebased to work from there', async () => {
    const root = await mkdtemp(join(tmpdir(), 'published-report-'));
    const published = await writeReport(compiled, options, lints, { root, outDir: site.outDir, publish: true });
    const path = join(site.outDir, '_segments', 'report.html');
    const text = await readFile(path, 'utf8');
    expect(published.summary.at(-1)).toBe('Report: .astro-segments/report.html, published at /_segments/report.html.');
    expect(text).toContain('<meta name="robots" content="noindex">');
    const links = linksOf(text, path);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(existsSync(link), link).toBe(true);
    expect(text).toMatch(/href="\.\.\/pricing\/index\.html"/);
    expect(text).toMatch(/href="[0-9a-z]{12}\.html"/);
    await rm(root, { recursive: true, force: true });
    await rm(path);
  });
});

describe('text and differences', () => {
  it('reads a page as lines: title, meta, then one line per block', () => {
    const lines = readableLines(
      '<html data-segments="a=b"><head><title>Hi &amp; welcome</title><meta name="description" content="About &quot;us&quot;"><meta name="segments" content="a=b"><meta name="robots" content="noindex"><style>p{}</style></head>' +
        '<body><main><h1>Title</h1><p>One <strong>bold</strong><br>two</p><script>var x = "<p>no</p>";</script><!-- <p>gone</p> --><ul><li>a</li><li>b</li></ul></main></body></html>',
    );
    expect(lines).toEqual(['Title: Hi & welcome', 'Meta description: About "us"', 'Title', 'One bold', 'two', 'a', 'b']);
  });

  it('aligns the differing lines, keeping what both versions share out of it', () => {
    expect(diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e'])).toEqual([
      { removed: ['b'], added: ['x'] },
      { removed: [], added: ['e'] },
    ]);
    expect(diffLines(['a', 'b'], ['a', 'b'])).toEqual([]);
    expect(diffLines([], ['a'])).toEqual([{ removed: [], added: ['a'] }]);
    expect(diffLines(['p', 'q', 'r'], ['q', 'r', 's', 'p'])).toEqual([
      { removed: ['p'], added: [] },
      { removed: [], added: ['s', 'p'] },
    ]);
  });
});

describe('/.well-known/gpc.json', () => {
  it('declares GPC support with the build date', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gpc-'));
    await writeGpc(dir, new Date('2026-11-23T19:00:00Z'));
    expect(await readFile(join(dir, '.well-known', 'gpc.json'), 'utf8')).toBe('{"gpc":true,"lastUpdate":"2026-11-23"}\n');
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a gpc.json the site ships itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gpc-'));
    await mkdir(join(dir, '.well-known'));
    await writeFile(join(dir, '.well-known', 'gpc.json'), '{"gpc":true,"lastUpdate":"2020-01-01"}');
    await writeGpc(dir);
    expect(await readFile(join(dir, '.well-known', 'gpc.json'), 'utf8')).toBe('{"gpc":true,"lastUpdate":"2020-01-01"}');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('report and gpc options', () => {
  const dimensions = fixtureOptions.dimensions;
  it('default to a private report and no gpc.json', () => {
    expect(validateOptions({ dimensions })).toMatchObject({ report: { publish: false }, gpc: false });
    expect(validateOptions({ dimensions, report: { publish: true }, gpc: true })).toMatchObject({ report: { publish: true }, gpc: true });
  });

  it.each([
    [{ report: { publish: 'yes' } }, /- report\.publish: /],
    [{ report: { path: 'x' } }, /- report\.path: unknown key/],
    [{ gpc: 1 }, /- gpc: /],
  ])('refuse %j with the key path', (extra, message) => {
    expect(() => validateOptions({ dimensions, ...extra } as never)).toThrow(message);
  });
});
