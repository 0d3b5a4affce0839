/**
 * A Starlight docs site as its docs tell users to build it: Astro's default
 * Markdown processor (Sätteri), search on (Pagefind), a `.md` and an `.mdx`
 * personalized page with customer-only headings, and the endpoints sites
 * publish content through (a JSON feed, RSS with @astrojs/rss, llms.txt).
 * Built in both integration orders, and once on unified() (a site's own choice).
 *
 * What must hold: search indexes each public page with its default version
 * only and never a variant file; each version's "On this page" lists exactly
 * its own headings; feeds publish the default version only (no marker, no
 * purpose or KPI, no path of the build machine); Starlight's asides, code
 * blocks and components render inside and outside blocks in every version.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type BuiltFixture } from './utils/fixture.ts';

const built: BuiltFixture[] = [];
afterAll(() => Promise.all(built.map((site) => site.cleanup())));

async function buildStarlight(configFile: string): Promise<BuiltFixture> {
  const site = await buildFixture('coexist-starlight', { configFile });
  built.push(site);
  return site;
}

/** Text only customers may see, in the .md page, the .mdx page and the billing page. */
const CUSTOMER_ONLY = ['QUILL-LAUNCH-4471', 'Import your ledger', 'HARBOR-RATE-93', 'Your renewal', 'Settings → Billing'];

/** Every page Pagefind indexed: its URL and the text it stored. */
async function searchIndex(site: BuiltFixture): Promise<{ url: string; text: string }[]> {
  const folder = join(site.outDir, 'pagefind/fragment');
  const pages = [];
  for (const file of await readdir(folder)) {
    const text = gunzipSync(await readFile(join(folder, file))).toString('utf8');
    const fragment = JSON.parse(text.slice(text.indexOf('{'))) as { url: string };
    pages.push({ url: fragment.url, text });
  }
  return pages.sort((a, b) => a.url.localeCompare(b.url));
}

/** The `#…` targets of a version's tables of contents: the sidebar's, then the mobile one's. */
function tocTargets(html: string): string[] {
  const tocs = [...html.matchAll(/<(mobile-)?starlight-toc\b[\s\S]*?<\/\1?starlight-toc>/g)].map((match) => match[0]);
  expect(tocs).toHaveLength(2);
  return tocs.flatMap((toc) => [...toc.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]!).filter((id) => id !== '_top'));
}

describe.each([
  ['astro.config.mjs', 'starlight() before segments()'],
  ['astro.config.segments-first.mjs', 'segments() before starlight()'],
])('Starlight with search on (%s: %s)', (configFile) => {
  let site: BuiltFixture;
  beforeAll(async () => {
    site = await buildStarlight(configFile);
  });

  it('indexes each public page with its default version, and no variant file', async () => {
    const index = await searchIndex(site);
    expect(index.map((page) => page.url)).toEqual(['/', '/billing/', '/plans/', '/setup/']);
    const setup = index.find((page) => page.url === '/setup/')!.text;
    expect(setup).toContain('Start a free trial');
    expect(index.find((page) => page.url === '/plans/')!.text).toContain('Compare plans');
    for (const page of index) for (const secret of CUSTOMER_ONLY) expect(page.text, `${page.url} indexes "${secret}"`).not.toContain(secret);
  });

  it("lists in each version's table of contents exactly the headings it shows", async () => {
    const setup = await site.variants('/setup');
    expect(tocTargets(setup.default!)).toEqual(['install-the-app', 'start-a-free-trial', 'get-help', 'install-the-app', 'start-a-free-trial', 'get-help']);
    expect(tocTargets(setup.customer!)).toEqual(['install-the-app', 'import-your-ledger', 'get-help', 'install-the-app', 'import-your-ledger', 'get-help']);
    expect(setup.default).not.toContain('import-your-ledger');
    expect(setup.customer).not.toContain('start-a-free-trial');
    // Starlight's heading links, on the headings inside blocks too.
    expect(setup.customer).toMatch(/<h2 id="import-your-ledger">[\s\S]{0,400}?<a class="sl-anchor-link" href="#import-your-ledger">/);
    expect(setup.default).toMatch(/<h2 id="start-a-free-trial">[\s\S]{0,400}?<a class="sl-anchor-link" href="#start-a-free-trial">/);
    const plans = await site.variants('/plans');
    expect(tocTargets(plans.default!)).toEqual(['compare-plans', 'compare-plans']);
    expect(tocTargets(plans.customer!)).toEqual(['your-renewal', 'your-renewal']);
  });

  it('slices the .mdx page: a :::segment block and a <Segment> component', async () => {
    const plans = await site.variants('/plans');
    expect(plans.default).toContain('Prospects compare the Solo and Team plans here.');
    expect(plans.default).not.toContain('HARBOR-RATE-93');
    expect(plans.customer).toContain('Your plan renews with the loyalty rate HARBOR-RATE-93.');
    expect(plans.customer).not.toContain('Prospects compare');
    for (const html of Object.values(plans)) expect(html).toContain('Every plan includes unlimited invoices.');
  });

  it('publishes the default version only in the JSON feed, RSS and llms.txt', async () => {
    for (const file of ['feed.json', 'rss.xml', 'llms.txt']) {
      const text = await site.read(file);
      expect(text, file).toMatch(/Prospects start a thirty-day trial|Prospects start a thirty-day trial/);
      expect(text, file).toContain('See our plans before you sign up.');
      for (const secret of CUSTOMER_ONLY) expect(text, `${file} publishes "${secret}"`).not.toContain(secret);
      expect(text, file).not.toMatch(/astro-segment|Imports started|purpose/);
      expect(text, file).not.toContain(site.root);
    }
  });

  it('slices a docs page: the customer block (with an aside inside) and the title override', async () => {
    const { customer, default: standard } = await site.variants('/billing');
    expect(standard).toContain('See our plans before you sign up.');
    expect(standard).not.toContain('Settings → Billing');
    expect(standard).toContain('<title>Billing | Ledgerly Docs</title>');
    expect(customer).toContain('Your invoices are under <strong>Settings → Billing</strong>.');
    expect(customer).toContain('class="starlight-aside starlight-aside--tip"');
    expect(customer).not.toContain('See our plans');
    expect(customer).toContain('<title>Your billing | Ledgerly Docs</title>');
    expect(standard).not.toContain('starlight-aside--tip');
  });

  it("keeps Starlight's asides, Expressive Code blocks and directive-looking prose in every version", async () => {
    const { customer, default: standard } = await site.variants('/billing');
    for (const html of [standard!, customer!]) {
      expect(html).toContain('<aside aria-label="Note" class="starlight-aside starlight-aside--note">');
      expect(html).toContain('<aside aria-label="Heads up" class="starlight-aside starlight-aside--caution">');
      expect(html).toContain('class="expressive-code"');
      expect(html).toContain('at 10:30 on the first day');
      expect(html).not.toContain(':::');
    }
    expect(await site.files()).toEqual(expect.arrayContaining(['index.html', '404.html', 'sitemap-index.xml']));
  });

  it("gives every version Expressive Code's stylesheet and script, also when the first code block is in a hidden block", async () => {
    const setup = await site.variants('/setup');
    for (const [version, html] of Object.entries(setup)) {
      expect(html, version).toMatch(/<link rel="stylesheet" href="\/_astro\/ec\.[\w-]+\.css">/);
      expect(html, version).toMatch(/<script type="module" src="\/_astro\/ec\.[\w-]+\.js"><\/script>/);
      expect(html.match(/\/_astro\/ec\.[\w-]+\.css/g), version).toHaveLength(1);
    }
  });

  it('keeps variant files out of the sitemap', async () => {
    const sitemap = await site.read('sitemap-0.xml');
    expect(sitemap).toContain('https://docs.example/setup/');
    expect(sitemap).not.toContain('_segments');
  });
});

describe('Starlight on unified(), chosen by the site', () => {
  it('keeps working as before: slices, asides, search without variant text', async () => {
    const site = await buildStarlight('astro.config.unified.mjs');
    const billing = await site.variants('/billing');
    expect(billing.customer).toContain('class="starlight-aside starlight-aside--tip"');
    expect(billing.default).toContain('See our plans before you sign up.');
    const index = await searchIndex(site);
    expect(index.map((page) => page.url)).toEqual(['/', '/billing/', '/plans/', '/setup/']);
    for (const page of index) for (const secret of CUSTOMER_ONLY) expect(page.text).not.toContain(secret);
  });
});
