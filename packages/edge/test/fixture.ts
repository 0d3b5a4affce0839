/**
 * A realistic manifest, shaped like the integration writes it, and helpers that
 * run requests through the real `readSignals` → `decide` path.
 */
import { decide, readSignals, type Decision, type Manifest, type Platform, type Signals } from '../src/index.ts';

/** Mid-June 2026: inside the spring campaign window below. */
export const NOW = Date.UTC(2026, 5, 15);
export const SPRING_FROM = Date.UTC(2026, 2, 1);
export const SPRING_UNTIL = Date.UTC(2026, 6, 1);

export const HASH = {
  home_customer: 'a1b2c3d4e5f6',
  home_partner: 'b2c3d4e5f6a1',
  customer_eu: 'c3d4e5f6a1b2',
  customer_na: 'd4e5f6a1b2c3',
  partner_eu: 'e5f6a1b2c3d4',
  prospect_eu: 'f6a1b2c3d4e5',
  prospect_uk: '0a1b2c3d4e5f',
  spring: '1b2c3d4e5f0a',
  cafe_customer: '2c3d4e5f0a1b',
} as const;

export const manifest: Manifest = {
  version: 1,
  prefix: '/_segments/',
  param: 'segment',
  previewParam: 'segment-preview',
  cookie: { name: 'segment', maxAge: 2_592_000 },
  debug: false,
  dimensions: [
    {
      name: 'audience',
      default: 'prospect',
      values: [
        { name: 'customer', rules: [{ cookie: 'session' }] },
        { name: 'partner', rules: [{ utm_source: { is: ['partner-portal'] } }] },
        { name: 'prospect', rules: [] },
      ],
    },
    {
      name: 'region',
      default: 'other',
      values: [
        // Rule 2: a referral from an .eu site counts as EU when geo says nothing EU.
        { name: 'eu', rules: [{ country: { is: ['de', 'fr', 'it', 'es', 'nl', 'at'] } }, { referrer: { suffix: '.eu' } }] },
        { name: 'uk', rules: [{ country: { is: ['gb'] } }] },
        // Rule 2 is an AND of two signals.
        { name: 'na', rules: [{ country: { is: ['us', 'ca'] } }, { language: { is: ['en'] }, utm_medium: { is: ['cpc'] } }] },
        { name: 'other', rules: [] },
      ],
    },
    {
      name: 'campaign',
      // `other` is also a region value, so a bare `other` is ambiguous.
      default: 'other',
      values: [
        {
          name: 'spring',
          rules: [
            { referrer: { suffix: '.example-news.com' }, from: SPRING_FROM, until: SPRING_UNTIL },
            { utm_campaign: { prefix: 'spring' }, from: SPRING_FROM, until: SPRING_UNTIL },
          ],
        },
        { name: 'other', rules: [] },
      ],
    },
  ],
  routes: {
    '/': { dims: ['audience'], variants: { customer: HASH.home_customer, partner: HASH.home_partner } },
    '/pricing': {
      dims: ['audience', 'region'],
      variants: {
        'customer/eu': HASH.customer_eu,
        'customer/na': HASH.customer_na,
        'partner/eu': HASH.partner_eu,
        'prospect/eu': HASH.prospect_eu,
        'prospect/uk': HASH.prospect_uk,
      },
    },
    '/launch': { dims: ['campaign'], variants: { spring: HASH.spring } },
    '/café': { dims: ['audience'], variants: { customer: HASH.cafe_customer } },
    '/docs/regions': { dims: ['region'], variants: {} },
  },
};

export const variant = (hash: string): string => `/_segments/${hash}.html`;

export interface Req {
  headers?: Record<string, string>;
  method?: string;
  /** Default true: most tests run as production (HTTPS). */
  https?: boolean;
  platform?: Platform;
  now?: number;
}

export function request(path: string, { headers = {}, method = 'GET', https = true }: Req = {}): Request {
  return new Request(`${https ? 'https' : 'http'}://shop.example${path}`, { method, headers });
}

export function signals(path: string, opts: Req = {}, m: Manifest = manifest): Signals {
  return readSignals(request(path, opts), m, opts.platform, opts.now ?? NOW);
}

export function route(path: string, opts: Req = {}, m: Manifest = manifest): Decision | null {
  return decide(signals(path, opts, m), m);
}

/** `route` for a request that must be personalized. */
export function decided(path: string, opts: Req = {}, m: Manifest = manifest): Decision {
  const d = route(path, opts, m);
  if (!d) throw new Error(`expected a decision for ${path}`);
  return d;
}

export const withDebug = (m: Manifest = manifest): Manifest => ({ ...m, debug: true });

/** Every `dim:value` pair the fixture declares. */
export const declaredPairs = new Set(manifest.dimensions.flatMap((d) => d.values.map((v) => `${d.name}:${v.name}`)));

/** Paths a request may ask for: routes in each form, an encoded one, a variant file, one not personalized, a malformed escape. */
export const ROUTE_PATHS = [
  '/',
  '/index.html',
  '/pricing',
  '/pricing/',
  '/pricing.html',
  '/pricing/index.html',
  '/launch',
  '/caf%C3%A9',
  '/docs/regions',
  '/_segments/a1b2c3d4e5f6.html',
  '/about',
  '/%E0%A4%A',
];

/** Query items: declared values bare and qualified, case and Unicode look-alikes, prototype names, lists, empties. */
export const CHOICE_ITEMS = [
  'customer',
  'partner',
  'prospect',
  'eu',
  'uk',
  'na',
  'other',
  'spring',
  'audience:customer',
  'region:eu',
  'region:other',
  'campaign:spring',
  'reset',
  'RESET',
  ' Customer ',
  'u\u212A',
  'region:u\u212A',
  'eu,na',
  'customer,partner',
  'audience:vip',
  ':',
  'constructor',
  '__proto__',
  'toString',
  'audience:constructor',
  'hasOwnProperty',
  '',
];

/** The fixture with one dimension `x` on `/`: `on` by `rules`, else `off` (the default). For tests of one rule or matcher. */
export function oneDimension(
  rules: Manifest['dimensions'][number]['values'][number]['rules'],
  variants: Record<string, string> = { on: 'abcdef01' },
): Manifest {
  return {
    ...manifest,
    dimensions: [
      {
        name: 'x',
        default: 'off',
        values: [
          { name: 'on', rules },
          { name: 'off', rules: [] },
        ],
      },
    ],
    routes: { '/': { dims: ['x'], variants } },
  };
}
