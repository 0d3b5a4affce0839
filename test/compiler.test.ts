import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, normalizeHtml, type BuiltFixture } from './utils/fixture.ts';

/** Strip what only variant files carry, to compare them with hand-written pages. */
const withoutVariantTags = (html: string) =>
  html
    .replace('<meta name="robots" content="noindex">', '')
    .replace(/<link rel="canonical" href="[^"]*">/, '')
    .replace(/ data-segments="[^"]*"/, '')
    .replace(/<meta name="segments" content="[^"]*">/, '')
    .replace(' data-pagefind-ignore="all"', '');

let site: BuiltFixture;
let reference: BuiltFixture;

beforeAll(async () => {
  site = await buildFixture('basic');
  reference = await buildFixture('reference');
});
afterAll(async () => {
  await site?.cleanup();
  await reference?.cleanup();
});

describe('one render per page, sliced into variants', () => {
  it('lists every personalized page in the manifest, and only those', async () => {
    const manifest = await site.manifest();
    expect(Object.keys(manifest.routes).sort()).toEqual(['/deadlines', '/docs/getting-started', '/pricing', '/story', '/support', '/welcome']);
    expect(manifest.routes['/pricing']!.dims).toEqual(['audience']);
    expect(manifest.routes['/deadlines']!.dims).toEqual(['audience', 'region']);
  });

  it('leaves no marker in any emitted file', async () => {
    for (const file of (await site.files()).filter((f) => f.endsWith('.html'))) {
      const html = await site.read(file);
      expect(html, file).not.toContain('astro-segment');
      expect(html, file).not.toContain('data-when');
    }
  });

  it('serves the default variant at the public URL, with no trace of other variants', async () => {
    const html = await site.read('pricing/index.html');
    expect(html).toContain('Start your free trial today.');
    expect(html).not.toContain('Starter');
    expect(html).not.toContain('Your plan');
    expect(html).not.toContain('noindex');
    expect(html).toContain('<title>Pricing | Ledgerly</title>');
  });

  it('writes a .md variant with its head overrides, canonical link and noindex', async () => {
    const { customer } = await site.variants('/pricing');
    expect(customer).toContain('<title>Your plan | Ledgerly</title>');
    expect(customer).toContain('<meta name="description" content="Upgrade or change your plan.">');
    expect(customer).toContain('<meta property="og:title" content="Your plan">');
    expect(customer).toContain('You are on the <strong>Starter</strong> plan.');
    expect(customer).not.toContain('Start your free trial');
    expect(customer).toContain('<meta name="robots" content="noindex">');
    expect(customer).toContain('<link rel="canonical" href="https://ledgerly.example/pricing/">');
  });

  it('gives combinations that render like the default no file of their own', async () => {
    // Partners see the otherwise block, exactly like prospects.
    expect(Object.keys((await site.manifest()).routes['/pricing']!.variants)).toEqual(['customer']);
  });

  it('multiplies only the dimensions a page references, and shares files between identical outputs', async () => {
    const manifest = await site.manifest();
    // 3 × 3 combinations minus the default; none render alike on this page.
    expect(Object.keys(manifest.routes['/deadlines']!.variants)).toHaveLength(8);
    // /story varies on audience only, so region never multiplies it.
    expect(Object.keys(manifest.routes['/story']!.variants).sort()).toEqual(['customer', 'partner']);
  });

  it('writes one file for combinations that render identical HTML', async () => {
    const { variants } = (await site.manifest()).routes['/support']!;
    expect(Object.keys(variants).sort()).toEqual(['customer', 'partner']);
    expect(variants.customer).toBe(variants.partner);
    expect((await site.files()).filter((file) => file === `_segments/${variants.customer}.html`)).toHaveLength(1);
  });

  it('labels every file of a personalized page with the segments it serves, statically', async () => {
    const variants = await site.variants('/support');
    expect(variants.default).toContain('<html data-segments="audience=prospect" lang="en">');
    expect(variants.default).toContain('<meta name="segments" content="audience=prospect">');
    expect(variants.customer).toContain('<meta name="segments" content="audience=customer+partner">');
    expect(await site.read('about/index.html')).not.toContain('data-segments');
  });

  it('handles conditions on two dimensions, one-of and negation', async () => {
    const variants = await site.variants('/deadlines');
    expect(variants['customer/eu']).toContain('We file these for you.');
    expect(variants['customer/na']).not.toContain('We file these for you.');
    expect(variants['customer/other']).toContain('We file these for you.');
    expect(variants['partner/na']).toContain('Your dashboard lists every deadline.');
    expect(variants['partner/na']).toContain('Sales tax filings');
    expect(variants.default).not.toContain('Your dashboard');
  });

  it('slices MDX pages, both :::segment blocks and <Segment> components', async () => {
    const variants = await site.variants('/story');
    expect(variants.partner).toContain('Thank you for sending founders our way.');
    expect(variants.customer).toContain('Thanks for being with us.');
    expect(variants.default).not.toMatch(/Thank you for sending|Thanks for being/);
  });

  it('slices .astro pages with <Segment> in the head and the body, and otherwise', async () => {
    const variants = await site.variants('/welcome');
    expect(variants.customer).toContain('<meta name="x-plan" content="customer">');
    expect(variants.customer).toContain('Go to your dashboard.');
    expect(variants.customer).not.toContain('See what we do.');
    expect(variants.partner).toContain('Partner resources are here.');
    expect(variants.default).toContain('See what we do.');
    expect(variants.default).not.toContain('x-plan');
  });

  it('slices content-collection entries rendered through a page', async () => {
    const variants = await site.variants('/docs/getting-started');
    expect(variants.customer).toContain('Log in and open <strong>Invoices</strong>.');
    expect(variants.default).toContain('First, create an account.');
    expect(variants.default).not.toContain('Invoices');
  });
});

describe('variant files equal hand-written pages for the segment', () => {
  const cases = [
    ['/pricing', 'customer', 'pricing-customer'],
    ['/pricing', 'default', 'pricing-prospect'],
    ['/deadlines', 'customer/eu', 'deadlines-customer-eu'],
    ['/deadlines', 'partner/na', 'deadlines-partner-na'],
    ['/deadlines', 'default', 'deadlines-prospect-other'],
    ['/welcome', 'customer', 'welcome-customer'],
    ['/welcome', 'default', 'welcome-prospect'],
  ] as const;
  it.each(cases)('%s %s equals %s', async (route, key, page) => {
    const variant = (await site.variants(route))[key]!;
    const handWritten = await reference.read(`${page}/index.html`);
    expect(normalizeHtml(withoutVariantTags(variant))).toBe(normalizeHtml(handWritten));
  });

  it('matches hand-written Markdown byte for byte, whitespace included', async () => {
    const variant = (await site.variants('/pricing')).customer!;
    expect(withoutVariantTags(variant)).toBe(await reference.read('pricing-customer/index.html'));
  });
});

describe('a personalized .md page published by an endpoint', () => {
  it('gives compiledContent() its default version only: no marker, no other version, no purpose', async () => {
    const { html } = JSON.parse(await site.read('compiled.json')) as { html: string };
    expect(html).toContain('Start your free trial today.');
    expect(html).toContain('All plans include year-end accounts.');
    expect(html).not.toMatch(/Starter|astro-segment|Upgrade clicks|upgrade path/);
  });
});

describe('pages that are not personalized', () => {
  it('stay byte-for-byte as Astro writes them without the integration', async () => {
    for (const page of ['about/index.html', 'notes/index.html']) {
      expect(await site.read(page), page).toBe(await reference.read(page));
    }
  });

  it('keep prose with colons exactly as written', async () => {
    const html = await site.read('notes/index.html');
    expect(html).toContain('We open at 10:30 and close at 17:00. See you at re:Invent, or read John 3:17.');
    expect(html).toContain('Note:this line has a colon, and a::b has two;');
  });
});
