import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { buildFixture, type BuiltFixture } from '../../../test/utils/fixture.ts';
import { options as fixtureOptions } from '../../../test/fixtures/report-site/segments.config.mjs';
import { becauseOf, describeRule, noticeEntries } from '../src/components/notice.ts';
import { validateOptions } from '../src/validate-options.ts';
import { segmentsConfigOf, virtualConfig, VIRTUAL_CONFIG_ID } from '../src/virtual-config.ts';

const options = validateOptions(fixtureOptions);
const config = segmentsConfigOf(options);
const ruleOf = (when: object, relationship = false) =>
  describeRule(validateOptions({ dimensions: { d: { default: 'b', values: { a: { when }, b: {} } } } }).dimensions[0]!.values[0]!.rules[0]!, relationship);

describe('the notice wording, derived from the rules', () => {
  it.each([
    [{ cookie: 'session' }, true, 'you are logged in'],
    [{ cookie: 'seen' }, false, 'your browser has this site’s “seen” cookie'],
    [{ utm_campaign: 'year-end-close' }, false, 'you followed a link from the “year-end-close” campaign'],
    [{ utm_source: ['newsletter', 'digest'] }, false, 'you followed a link from “newsletter” or “digest”'],
    [{ utm_medium: { prefix: 'email' } }, false, 'you arrived through “email…”'],
    [{ utm_term: 'bookkeeping' }, false, 'you searched for “bookkeeping”'],
    [{ utm_content: 'hero' }, false, 'you followed the “hero” link'],
    [{ referrer: { suffix: 'producthunt.com' } }, false, 'you came here from producthunt.com'],
    [{ referrer: ['a.example', 'b.example'] }, false, 'you came here from a.example or b.example'],
    [{ country: 'GB' }, false, 'you seem to be visiting from the United Kingdom'],
    [{ country: ['DE', 'AT', 'CH'] }, false, 'you seem to be visiting from Germany, Austria or Switzerland'],
    [{ continent: 'EU' }, false, 'you seem to be visiting from Europe'],
    [{ continent: ['EU', 'NA'] }, false, 'you seem to be visiting from Europe or North America'],
    [{ countrySet: 'eu' }, false, 'you seem to be visiting from the European Union'],
    [{ countrySet: 'EEA' }, false, 'you seem to be visiting from the European Economic Area'],
    [{ language: ['de', 'fr'] }, false, 'your browser asks for pages in German or French'],
    [{ utm_source: 'x', country: 'US' }, false, 'you followed a link from “x” and you seem to be visiting from the United States'],
    [{ from: '2026-12-01', until: '2027-01-01' }, false, 'it is between 1 December 2026 and 31 December 2026'],
    [{ until: '2027-01-01' }, false, 'it is 31 December 2026 or earlier'],
    [{ utm_campaign: 'spring', until: '2026-04-01' }, false, 'you followed a link from the “spring” campaign'],
  ])('%j (relationship: %s) reads "%s"', (when, relationship, text) => {
    expect(ruleOf(when, relationship)).toBe(text);
  });

  it('puts the likely reasons first and the explicit choice last', () => {
    const customer = config.dimensions[0]!.values[0]!;
    expect(becauseOf(customer)).toBe('because you are logged in, or because you chose it');
    expect(becauseOf({ ...customer, rules: [] })).toBe('because you chose it');
    expect(becauseOf({ ...customer, rules: [{ cookie: 'session' }, { utm_source: { is: ['app'] } }] })).toBe(
      'because you are logged in, because you followed a link from “app”, or because you chose it',
    );
  });

  it('has one notice per non-default value, none for defaults unless a standard line is given', () => {
    const entries = noticeEntries(config);
    expect(entries.map((entry) => entry.when)).toEqual([
      'audience=customer',
      'audience=accountant',
      'audience=partner',
      'campaign=yearend',
      'region=uk',
      'region=eu',
    ]);
    expect(entries[0]).toEqual({
      when: 'audience=customer',
      dimension: 'audience',
      value: 'customer',
      standard: false,
      text: 'You are seeing the version of this page for Ledgerly customers, because you are logged in, or because you chose it.',
      name: 'Version of this page: Ledgerly customers',
    });
    const standard = noticeEntries(config, { standard: 'You are seeing the standard version.' }).filter((entry) => entry.standard);
    expect(standard.map((entry) => entry.when)).toEqual(['audience=prospect', 'campaign=none', 'region=intl']);
  });

  it('takes the site’s own wording per value, and refuses keys that name no value', () => {
    const [, , , , uk] = noticeEntries(config, { because: { 'region=uk': 'because your company files in the United Kingdom' }, label: 'Why this version' });
    expect(uk!.text).toBe('You are seeing the version of this page for United Kingdom, because your company files in the United Kingdom.');
    expect(uk!.name).toBe('Why this version: United Kingdom');
    expect(() => noticeEntries(config, { because: { 'region=mars': 'x' } })).toThrow(/names "region=mars", which is not a declared value/);
  });
});

describe('virtual:astro-segments/config', () => {
  it('serves the resolved dimensions, labels, rules and parameter names, and nothing else', () => {
    const plugin = virtualConfig(options);
    const id = plugin.resolveId.handler(VIRTUAL_CONFIG_ID)!;
    expect(plugin.resolveId.handler('virtual:other')).toBeUndefined();
    // The bundler calls the hooks only for the ids their filters name.
    expect([plugin.resolveId.filter.id.test(VIRTUAL_CONFIG_ID), plugin.resolveId.filter.id.test('virtual:astro-segments/configs')]).toEqual([true, false]);
    expect([plugin.load.filter.id.test(id), plugin.load.filter.id.test(VIRTUAL_CONFIG_ID)]).toEqual([true, false]);
    const source = plugin.load.handler(id)!;
    expect(plugin.load.handler('other')).toBeUndefined();
    const json = JSON.parse(/^const config = (.*);$/m.exec(source)![1]!);
    expect(json).toEqual(config);
    expect(json.param).toBe('segment');
    expect(json.dimensions[0].values[0]).toEqual({ name: 'customer', label: 'Ledgerly customers', relationship: true, rules: [{ cookie: 'session' }] });
    expect(source).toContain('export default config;');
  });
});

describe('<SegmentNotice> in a built site', () => {
  let site: BuiltFixture;
  beforeAll(async () => {
    site = await buildFixture('report-site');
  });
  afterAll(async () => {
    await site?.cleanup();
    if (site) await rm(`${site.outDir}-raw`, { recursive: true, force: true });
  });

  const notices = (html: string) => [...html.matchAll(/<aside\b[^>]*>[\s\S]*?<\/aside>/g)].map((match) => match[0]);

  it('tells a variant’s visitors which version they see and why, with the two links', async () => {
    const { customer } = await site.variants('/pricing');
    expect(notices(customer!)).toEqual([
      '<aside class="segment-notice site-notice" aria-label="Version of this page: Ledgerly customers" data-segment-notice>' +
        '<p class="segment-notice__text">You are seeing the version of this page for Ledgerly customers, because you are logged in, or because you chose it.</p>' +
        '<p class="segment-notice__links"><a class="segment-notice__reset" href="?segment=reset" data-astro-prefetch="false">See the standard version</a> · ' +
        '<a class="segment-notice__choose" href="/choose/">Choose another</a></p></aside>',
    ]);
  });

  it('shows nothing on the default page, and leaves no marker', async () => {
    const html = await site.read('pricing/index.html');
    expect(notices(html)).toEqual([]);
    expect(html).not.toContain('astro-segment');
    expect(html).not.toContain('data-optional');
  });

  it('vanishes, markers and all, from a page that is not personalized, and the build does not refuse it', async () => {
    const html = await site.read('about/index.html');
    expect(html).toContain('This page is not personalized.');
    expect(notices(html)).toEqual([]);
    expect(html).not.toMatch(/astro-segment|data-optional|data-segments/);
    expect(Object.keys((await site.manifest()).routes)).not.toContain('/about');
  });

  it('speaks of a segment only where the page has content for it, and makes no file of its own', async () => {
    // /pricing has nothing for partners or accountants: they get the standard file, with no notice.
    const { variants } = (await site.manifest()).routes['/pricing']!;
    expect(Object.keys(variants)).toEqual(['customer']);
  });

  it('drops the notices of dimensions the page does not vary on', async () => {
    for (const html of Object.values(await site.variants('/pricing'))) {
      expect(html).not.toMatch(/campaign|United Kingdom|Europe/);
    }
  });

  it('shows one notice per dimension whose value is not the default', async () => {
    const variants = await site.variants('/deadlines');
    expect(notices(variants['customer/uk']!).map((n) => /aria-label="([^"]*)"/.exec(n)![1])).toEqual([
      'Version of this page: Ledgerly customers',
      'Version of this page: United Kingdom',
    ]);
    expect(variants['customer/uk']).toContain('because you seem to be visiting from the United Kingdom, or because you chose it.');
    expect(variants['prospect/eu']).toContain('for European Union, because you seem to be visiting from Europe, or because you chose it.');
    expect(notices(variants['prospect/eu']!)).toHaveLength(1);
  });

  it('renders the optional standard line on the default, with the chooser but without a reset link', async () => {
    const { default: standard, yearend } = await site.variants('/yearend');
    expect(notices(standard!)).toEqual([
      '<aside class="segment-notice segment-notice--standard site-notice" aria-label="Version of this page" data-segment-notice>' +
        '<p class="segment-notice__text">Some pages adapt to where you came from. You are seeing the standard version.</p>' +
        '<p class="segment-notice__links"><a class="segment-notice__choose" href="/choose/">Choose another</a></p></aside>',
    ]);
    expect(yearend).toContain('for the year-end close campaign, because you followed a link from the “year-end-close” campaign, or because you chose it.');
    expect(yearend).not.toContain('Some pages adapt');
  });

  it('is static and styleable: no script, no inline style, real links', async () => {
    for (const html of Object.values(await site.variants('/deadlines'))) {
      for (const notice of notices(html)) {
        expect(notice).not.toMatch(/<script|style=|onclick/);
        expect(notice).toMatch(/^<aside class="segment-notice[^"]*" aria-label="[^"]+"/);
        expect(notice).toMatch(/<a class="segment-notice__reset" href="\?segment=reset" data-astro-prefetch="false">/);
      }
    }
  });
});
