import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '@astro-segments/edge';
import type { Assignment } from 'remark-segments/condition';
import type { CompiledPage, CompiledSite } from '../src/compile-site.ts';
import { lintSite, type Lint } from '../src/lints/index.ts';
import { sensitiveTraits } from '../src/lints/find-sensitive-names.ts';
import { matcherCovers } from '../src/lints/find-shadowed-rules.ts';
import { assignments } from '../src/slice.ts';
import type { SegmentsOptions } from '../src/schema.ts';
import { validateOptions, type ResolvedOptions } from '../src/validate-options.ts';

const AUDIENCE = {
  default: 'prospect',
  values: {
    customer: { when: { cookie: 'session' }, relationship: true },
    accountant: { when: { utm_source: 'accountant-network' } },
    partner: { when: { utm_source: 'partner-portal' } },
    prospect: {},
  },
};
const REGION = { default: 'intl', values: { uk: { when: { country: 'GB' } }, eu: { when: { continent: 'EU' } }, intl: {} } };

interface PageSpec {
  readonly route: string;
  readonly dimensions: readonly string[];
  /** Serialized conditions of the page's blocks (null: otherwise); `?` suffix marks an optional (layout) block. */
  readonly blocks: readonly (string | null)[];
  /** What the page renders for a combination. */
  readonly html: (assignment: Assignment) => string;
}

/** A compiled site the way compileSite() shapes it: identical outputs share a file, the default's get none. */
function siteOf(options: ResolvedOptions, specs: readonly PageSpec[]): CompiledSite {
  const files = new Map<string, string>();
  const pages: CompiledPage[] = specs.map((spec) => {
    const dimensions = options.dimensions.filter((d) => spec.dimensions.includes(d.name));
    const names = dimensions.map((d) => d.name);
    const [first, ...rest] = assignments(dimensions);
    const key = (a: Assignment) => names.map((n) => a[n]).join('/');
    const defaultHtml = spec.html(first!);
    const variants: Record<string, string> = {};
    for (const assignment of rest) {
      const html = spec.html(assignment);
      if (html === defaultHtml) continue;
      const hash = createHash('sha256').update(html).digest('hex').slice(0, 16);
      files.set(hash, html);
      variants[key(assignment)] = hash;
    }
    const hashes = [...new Set(Object.values(variants))];
    return {
      route: spec.route,
      file: `${spec.route.slice(1)}/index.html`,
      source: `src/pages${spec.route}.md`,
      purpose: 'Show each audience what it needs',
      kpi: 'Sign-ups',
      dimensions: names,
      combinations: rest.length + 1,
      variants,
      defaultHtml,
      defaultFile: { label: '', serves: [key(first!)] },
      variantFiles: hashes.map((hash) => ({ hash, label: '', serves: Object.keys(variants).filter((k) => variants[k] === hash) })),
      blocks: spec.blocks.map((when) => ({ when: when?.replace(/\?$/, '') ?? null, optional: when?.endsWith('?') ?? false })),
    };
  });
  return { manifest: {} as Manifest, pages, files, plain: new Map() };
}

const resolve = (dimensions: SegmentsOptions['dimensions'], extra: Partial<SegmentsOptions> = {}) => validateOptions({ dimensions, ...extra });
const rules = (lints: readonly Lint[], rule: string) => lints.filter((lint) => lint.rule === rule);
const page = (body: string) => `<html><head><title>T</title></head><body><main>${body}</main></body></html>`;
const notice = (text: string) => `<aside class="segment-notice" aria-label="Version" data-segment-notice><p>${text}</p></aside>`;

describe('dead-variant', () => {
  const options = resolve({ audience: AUDIENCE, region: REGION });
  const pricing = (accountant: string): PageSpec => ({
    route: '/pricing',
    dimensions: ['audience'],
    blocks: ['audience=customer', 'audience=accountant', null],
    html: (a) => page(a.audience === 'customer' ? '<p>Your plan</p>' : a.audience === 'accountant' ? accountant : '<p>Start a trial</p>'),
  });

  it('fires when a targeted value renders like the default, naming the page, the value and the fix', () => {
    const lints = rules(lintSite(siteOf(options, [pricing('<p>Start a trial</p>')]), options), 'dead-variant');
    expect(lints).toEqual([
      {
        rule: 'dead-variant',
        severity: 'warning',
        file: 'src/pages/pricing.md',
        message:
          '/pricing: blocks target audience=accountant, but every version for accountant renders like the one for prospect (the default), so they change nothing.',
        fix: 'Give accountant content of its own in those blocks, or remove it from their conditions.',
      },
    ]);
  });

  it('fires when only the notice tells the variant apart (and whitespace between tags)', () => {
    const site = siteOf(options, [pricing(`<p>Start a trial</p>\n   ${notice('You are seeing the version for accountant')}`)]);
    expect(Object.keys(site.pages[0]!.variants)).toContain('accountant');
    expect(rules(lintSite(site, options), 'dead-variant')).toHaveLength(1);
  });

  it('stays quiet when the value has content of its own', () => {
    expect(rules(lintSite(siteOf(options, [pricing('<p>Refer your clients</p>')]), options), 'dead-variant')).toEqual([]);
  });

  it('ignores values named together with the default: they are meant to look like it', () => {
    const prices: PageSpec = {
      route: '/pricing',
      dimensions: ['region'],
      blocks: ['region=uk', 'region=eu,intl'],
      html: (a) => page(a.region === 'uk' ? '<p>£</p>' : '<p>$</p>'),
    };
    expect(rules(lintSite(siteOf(options, [prices]), options), 'dead-variant')).toEqual([]);
    // Named apart from the default, the same rendering is dead.
    const split: PageSpec = { ...prices, blocks: ['region=uk', 'region=eu', 'region=intl'] };
    expect(rules(lintSite(siteOf(options, [split]), options), 'dead-variant').map((lint) => lint.message)).toEqual([
      expect.stringContaining('blocks target region=eu'),
    ]);
  });

  it('ignores values no block names, and optional layout blocks', () => {
    const spec: PageSpec = {
      route: '/pricing',
      dimensions: ['audience'],
      blocks: ['audience=customer', null, 'audience=partner?'],
      html: (a) => page(a.audience === 'customer' ? '<p>Your plan</p>' : '<p>Start a trial</p>'),
    };
    expect(rules(lintSite(siteOf(options, [spec]), options), 'dead-variant')).toEqual([]);
  });

  it('compares with the default of the same dimension, so another dimension cannot hide a dead value', () => {
    // partner/eu differs from the default page because of eu, but not from prospect/eu.
    const spec: PageSpec = {
      route: '/deadlines',
      dimensions: ['audience', 'region'],
      blocks: ['region=eu', 'audience=partner region=eu'.replace(' ', ';')],
      html: (a) => page(a.region === 'eu' ? '<p>VAT is due on the 10th.</p>' : '<p>Deadlines</p>'),
    };
    const lints = rules(lintSite(siteOf(options, [spec]), options), 'dead-variant');
    expect(lints.map((lint) => lint.message)).toEqual([expect.stringContaining('blocks target audience=partner')]);
  });
});

describe('unused-value', () => {
  const options = resolve({ audience: AUDIENCE, region: REGION });
  const content: PageSpec = {
    route: '/pricing',
    dimensions: ['audience'],
    blocks: ['audience=customer,accountant'],
    html: (a) => page(a.audience === 'customer' || a.audience === 'accountant' ? '<p>Hello</p>' : ''),
  };

  it('fires for a declared value no content uses, pointing at astro.config', () => {
    const lints = rules(lintSite(siteOf(options, [content]), options), 'unused-value');
    expect(lints.filter((lint) => lint.message.startsWith('dimensions.audience'))).toEqual([
      {
        rule: 'unused-value',
        severity: 'warning',
        file: 'astro.config',
        message: 'dimensions.audience.values.partner is declared, but no page has content for it: its visitors get what prospect (the default) gets.',
        fix: 'Write blocks for it (:::segment{audience="partner"} or <Segment audience="partner">), or remove the value from astro.config.',
      },
    ]);
  });

  it('reports a dimension no page uses once, not once per value', () => {
    const lints = rules(lintSite(siteOf(options, [content]), options), 'unused-value').filter((l) => l.message.startsWith('dimensions.region'));
    expect(lints).toHaveLength(1);
    expect(lints[0]!.message).toBe('dimensions.region: no page has content for any of its values (uk, eu), so every visitor gets intl.');
  });

  it('counts a value used when a page renders differently for it without naming it in a block (head overrides)', () => {
    const overrides: PageSpec = {
      route: '/about',
      dimensions: ['audience'],
      blocks: [],
      html: (a) => page(a.audience === 'partner' ? '<p>Partner title</p>' : ''),
    };
    const lints = rules(lintSite(siteOf(options, [content, overrides]), options), 'unused-value');
    expect(lints.some((lint) => lint.message.includes('values.partner'))).toBe(false);
  });

  it('never reports defaults, and stays quiet when every value is used', () => {
    const all: PageSpec = { ...content, blocks: ['audience=customer,accountant,partner'] };
    const small = resolve({ audience: AUDIENCE });
    const html = (a: Assignment) => page(a.audience === 'prospect' ? '' : `<p>${a.audience}</p>`);
    expect(rules(lintSite(siteOf(small, [{ ...all, html }]), small), 'unused-value')).toEqual([]);
  });

  it('does not count the notice as content', () => {
    const spec: PageSpec = {
      route: '/pricing',
      dimensions: ['audience'],
      blocks: ['audience=customer', 'audience=partner?'],
      html: (a) => page(`${a.audience === 'customer' ? '<p>Hello</p>' : ''}${a.audience === 'partner' ? notice('Partners') : ''}`),
    };
    const lints = rules(lintSite(siteOf(options, [spec]), options), 'unused-value');
    expect(lints.some((lint) => lint.message.includes('values.partner'))).toBe(true);
  });
});

describe('shadowed-rule', () => {
  const lintsFor = (values: Record<string, object>, fallback = 'other') =>
    rules(
      lintSite(
        siteOf(resolve({ d: { default: fallback, values: { ...values, [fallback]: {} } } }), []),
        resolve({ d: { default: fallback, values: { ...values, [fallback]: {} } } }),
      ),
      'shadowed-rule',
    );

  it('fires when an earlier value accepts everything a later one does (continent before its country)', () => {
    const lints = lintsFor({ eu: { when: { continent: 'EU' } }, uk: { when: { country: 'GB' } } });
    expect(lints).toEqual([
      {
        rule: 'shadowed-rule',
        severity: 'warning',
        file: 'astro.config',
        message:
          'dimensions.d.values.uk.when can never win: every request it matches also matches dimensions.d.values.eu.when, and eu comes first. uk can then only be chosen explicitly (?segment=uk).',
        fix: "Move uk above eu in dimensions.d.values if it should win, narrow eu's rule, or delete the unreachable rule.",
      },
    ]);
  });

  it('stays quiet in the right order (country before its continent)', () => {
    expect(lintsFor({ uk: { when: { country: 'GB' } }, eu: { when: { continent: 'EU' } } })).toEqual([]);
  });

  it.each([
    ['a list covers its subset', { utm_source: ['a', 'b'] }, { utm_source: 'a' }, true],
    ['a subset does not cover a list', { utm_source: 'a' }, { utm_source: ['a', 'b'] }, false],
    ['a prefix covers longer prefixes', { utm_campaign: { prefix: 'spring' } }, { utm_campaign: { prefix: 'spring-sale' } }, true],
    ['a prefix covers exact values it starts', { utm_campaign: { prefix: 'spring' } }, { utm_campaign: 'spring-sale' }, true],
    ['a prefix does not cover other values', { utm_campaign: { prefix: 'spring' } }, { utm_campaign: ['spring-sale', 'summer'] }, false],
    ['a suffix covers longer suffixes', { referrer: { suffix: 'google.com' } }, { referrer: { suffix: 'news.google.com' } }, true],
    ['a longer suffix does not cover a shorter one', { referrer: { suffix: 'news.google.com' } }, { referrer: { suffix: 'google.com' } }, false],
    ['an exact value never covers a prefix', { utm_source: 'x' }, { utm_source: { prefix: 'x' } }, false],
    ['fewer signals cover more', { utm_source: 'x' }, { utm_source: 'x', country: 'DE' }, true],
    ['more signals do not cover fewer', { utm_source: 'x', country: 'DE' }, { utm_source: 'x' }, false],
    ['the same cookie', { cookie: 'session' }, { cookie: 'session', language: 'de' }, true],
    ['another cookie', { cookie: 'session' }, { cookie: 'member' }, false],
    [
      'a window containing the later one',
      { utm_campaign: 's', from: '2026-03-01', until: '2026-04-01' },
      { utm_campaign: 's', from: '2026-03-10', until: '2026-03-20' },
      true,
    ],
    [
      'a window the later one outlasts',
      { utm_campaign: 's', from: '2026-03-01', until: '2026-04-01' },
      { utm_campaign: 's', from: '2026-03-10', until: '2026-05-01' },
      false,
    ],
    ['a window against no window', { utm_campaign: 's', until: '2026-04-01' }, { utm_campaign: 's' }, false],
    ['a bare window covers any rule inside it', { from: '2026-03-01' }, { utm_source: 'x', from: '2026-03-02' }, true],
  ])('%s', (_, early, late, shadowed) => {
    expect(lintsFor({ early: { when: early }, late: { when: late } })).toHaveLength(shadowed ? 1 : 0);
  });

  it('names the one unreachable rule of a list, and does not call the value unreachable while another rule can win', () => {
    const [lint, ...more] = lintsFor({ a: { when: { utm_source: 'x' } }, b: { when: [{ utm_medium: 'email' }, { utm_source: 'x', utm_medium: 'cpc' }] } });
    expect(more).toEqual([]);
    expect(lint!.message).toBe(
      'dimensions.d.values.b.when[1] can never win: every request it matches also matches dimensions.d.values.a.when, and a comes first.',
    );
  });

  it('compares matchers the way the router matches them', () => {
    expect(matcherCovers({ suffix: '.com' }, { is: ['a.com', 'b.com'] })).toBe(true);
    expect(matcherCovers({ suffix: '.com' }, { is: ['a.com', 'b.org'] })).toBe(false);
  });
});

describe('sensitive-name', () => {
  const lintsFor = (dimensions: SegmentsOptions['dimensions']) => rules(lintSite(siteOf(resolve(dimensions), []), resolve(dimensions)), 'sensitive-name');

  it('fires on dimension names, value names and labels, naming the trait and the key', () => {
    const lints = lintsFor({
      health_interest: { default: 'none', values: { diabetic: {}, none: {} } },
      audience: { default: 'all', values: { lgbt: {}, expecting: { label: 'Pregnant readers' }, believers: { label: 'Religious families' }, all: {} } },
    });
    expect(lints.map((lint) => `${lint.message.split(':')[0]}: ${lint.message.match(/suggests ([^,]+),/)![1]}`)).toEqual([
      'dimensions.health_interest: health',
      'dimensions.health_interest.values.diabetic: health',
      'dimensions.audience.values.lgbt: sexual orientation or sex life',
      'dimensions.audience.values.expecting: pregnancy',
      'dimensions.audience.values.believers: religion or belief',
    ]);
    expect(lints[0]).toMatchObject({ severity: 'warning', file: 'astro.config', fix: expect.stringContaining("Don't segment on sensitive traits") });
  });

  it.each([
    ['trade_union', 'trade-union membership'],
    ['ethnicity', 'racial or ethnic origin'],
    ['political_donors', 'political opinions'],
    ['disabled_users', 'disability'],
    ['immigrants', 'immigration status'],
    ['race', 'racial or ethnic origin'],
    ['gay', 'sexual orientation or sex life'],
    ['faith', 'religion or belief'],
  ])('recognizes %s as %s', (name, trait) => {
    expect(sensitiveTraits(name).map((found) => found.trait)).toEqual([trait]);
  });

  it.each(['healthcare', 'european_union', 'European Union', 'trace', 'embrace', 'customer', 'faithful_readers', 'accountant'])('stays quiet on %s', (name) => {
    expect(sensitiveTraits(name)).toEqual([]);
  });

  it('stays quiet on an ordinary site', () => {
    expect(
      lintsFor({ audience: AUDIENCE, region: { ...REGION, values: { ...REGION.values, eu: { when: { continent: 'EU' }, label: 'European Union' } } } }),
    ).toEqual([]);
  });
});

describe('relationship signals', () => {
  const lintsFor = (values: Record<string, object>) => {
    const options = resolve({ audience: { default: 'prospect', values: { ...values, prospect: {} } } });
    return lintSite(siteOf(options, []), options).filter((lint) => lint.rule === 'cookie-without-relationship' || lint.rule === 'relationship-by-inference');
  };

  it('fires on a cookie rule of a value not marked relationship: true', () => {
    expect(lintsFor({ returning: { when: [{ utm_source: 'x' }, { cookie: 'seen_before' }] } })).toEqual([
      {
        rule: 'cookie-without-relationship',
        severity: 'warning',
        file: 'astro.config',
        message:
          'dimensions.audience.values.returning.when[1] recognizes visitors by the cookie "seen_before", but dimensions.audience.values.returning is not marked relationship: true. Recognizing someone implies a relationship; strangers should get coarse signals only.',
        fix: 'If "seen_before" is a login or subscription your site sets, add relationship: true to dimensions.audience.values.returning; otherwise use a coarse signal (utm_*, referrer, country, language) instead of the cookie.',
      },
    ]);
  });

  it('fires on a relationship value recognized only by coarse inferences, saying which', () => {
    const [lint, ...more] = lintsFor({
      customer: { relationship: true, label: 'Customers', when: [{ utm_source: 'customer-newsletter' }, { referrer: 'app.example.com', language: 'de' }] },
    });
    expect(more).toEqual([]);
    expect(lint).toMatchObject({ rule: 'relationship-by-inference', file: 'astro.config' });
    expect(lint!.message).toBe(
      'dimensions.audience.values.customer is marked relationship: true, but only coarse signals pick it: dimensions.audience.values.customer.when[0] (utm_source); dimensions.audience.values.customer.when[1] (referrer, language). Anyone with the same link, referrer, country or language gets the version meant for Customers.',
    );
  });

  it.each([
    ['a relationship value with its login cookie', { customer: { relationship: true, when: { cookie: 'session' } } }],
    [
      'a relationship value with its cookie and a newsletter link',
      { customer: { relationship: true, when: [{ cookie: 'session' }, { utm_source: 'customers' }] } },
    ],
    ['a relationship value chosen only explicitly', { customer: { relationship: true } }],
    ['a stranger value on coarse signals', { partner: { when: { utm_source: 'partner-portal' } } }],
  ])('stays quiet on %s', (_, values) => {
    expect(lintsFor(values)).toEqual([]);
  });
});

describe('over-personalization', () => {
  const spec = (count: number, optional = 0): PageSpec => ({
    route: '/busy',
    dimensions: ['audience'],
    blocks: [...Array.from({ length: count }, () => 'audience=customer'), ...Array.from({ length: optional }, () => 'audience=partner?')],
    html: (a) => page(a.audience === 'customer' ? '<p>Hi</p>' : ''),
  });
  const lintsFor = (count: number, extra: Partial<SegmentsOptions> = {}, optional = 0) => {
    const options = resolve({ audience: AUDIENCE }, extra);
    return rules(lintSite(siteOf(options, [spec(count, optional)]), options), 'over-personalization');
  };

  it('fires above the default threshold of 6, naming the page, the count and the purpose', () => {
    expect(lintsFor(7)).toEqual([
      {
        rule: 'over-personalization',
        severity: 'warning',
        file: 'src/pages/busy.md',
        message: '/busy has 7 personalized blocks, more than lints.maxBlocksPerPage (6) for its one purpose ("Show each audience what it needs").',
        fix: 'Personalize only what serves that purpose, split the page by audience, or raise lints.maxBlocksPerPage if every block earns its place.',
      },
    ]);
  });

  it('stays quiet at the threshold, and does not count optional layout blocks', () => {
    expect(lintsFor(6)).toEqual([]);
    expect(lintsFor(6, {}, 4)).toEqual([]);
  });

  it('follows lints.maxBlocksPerPage', () => {
    expect(lintsFor(4, { lints: { maxBlocksPerPage: 3 } })).toHaveLength(1);
    expect(lintsFor(4, { lints: { maxBlocksPerPage: 4 } })).toEqual([]);
  });
});

describe('lint options', () => {
  it('default to warnings and a threshold of 6', () => {
    expect(resolve({ audience: AUDIENCE }).lints).toEqual({ strict: false, maxBlocksPerPage: 6 });
    expect(resolve({ audience: AUDIENCE }, { lints: { strict: true } }).lints).toEqual({ strict: true, maxBlocksPerPage: 6 });
  });

  it.each([
    [{ maxBlocksPerPage: 0 }, /- lints\.maxBlocksPerPage: /],
    [{ maxBlocksPerPage: 2.5 }, /- lints\.maxBlocksPerPage: /],
    [{ strict: 'yes' }, /- lints\.strict: /],
    [{ warn: true }, /- lints\.warn: unknown key/],
  ])('refuse %j with the key path', (lints, message) => {
    expect(() => resolve({ audience: AUDIENCE }, { lints } as Partial<SegmentsOptions>)).toThrow(message);
  });
});

describe('lintSite', () => {
  it('finds nothing on a site that personalizes with purpose', () => {
    const options = resolve({ audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' }, relationship: true }, prospect: {} } } });
    const spec: PageSpec = {
      route: '/pricing',
      dimensions: ['audience'],
      blocks: ['audience=customer', null],
      html: (a) => page(a.audience === 'customer' ? '<p>Your plan</p>' : '<p>Trial</p>'),
    };
    expect(lintSite(siteOf(options, [spec]), options)).toEqual([]);
  });
});
