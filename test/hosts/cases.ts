/**
 * The conformance table: one list of requests and what every host must answer.
 * Each runtime (raw core, Node server, workerd, Deno/Netlify, Vercel's edge
 * runtime) runs every case through its real entry point and must give the
 * same result. The site is test/hosts/site/ (bodies carry `marker:<name>`) and
 * its hand-written manifest.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '@astro-segments/edge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export const SITE_DIR = fileURLToPath(new URL('./site/', import.meta.url));
export const MANIFEST = JSON.parse(readFileSync(new URL('./site/_segments/manifest.json', import.meta.url), 'utf8')) as Manifest;

export type RuntimeId = 'raw' | 'node' | 'workerd' | 'deno' | 'vercel';

/** Every site instance a runtime serves. */
export type SiteName = 'main' | 'corrupt' | 'throws' | 'holdout';

/** Structurally wrong: the router must reject it and leave every page untouched. */
export const CORRUPT_MANIFEST = {
  ...MANIFEST,
  param: [],
  cookie: 5,
  dimensions: [{ name: 'audience' }],
  routes: { '/': null, '/offers': 7, '/pricing': { dims: 'audience', variants: null } },
} as unknown as Manifest;

/** Passes every cheap check, then throws inside the decision (`dims` is not iterable). */
export const THROWING_MANIFEST = {
  ...MANIFEST,
  routes: { ...MANIFEST.routes, '/pricing': { dims: {}, variants: MANIFEST.routes['/pricing']!.variants } },
} as unknown as Manifest;

/**
 * The main site with a holdout, so every host builds its holdout entry. The share is so close
 * to 1 that a new draw is `control` (a 1e-12 chance otherwise): the table stays exact while
 * each runtime uses its own `Math.random`. Treatment is covered by a stored group cookie.
 */
export const HOLDOUT_MANIFEST: Manifest = { ...MANIFEST, holdout: { share: 1 - 1e-12, consent: 'consent', cookie: 'segment_group', maxAge: 7_776_000 } };

export const MANIFESTS: Readonly<Record<SiteName, Manifest>> = {
  main: MANIFEST,
  corrupt: CORRUPT_MANIFEST,
  throws: THROWING_MANIFEST,
  holdout: HOLDOUT_MANIFEST,
};

const NO_STORE = 'private, no-store';
const NO_CACHE = 'private, no-cache';
const PUBLIC = 'public, max-age=0, must-revalidate';
/** Whatever the host itself sends for a request the router does not handle; never `private`. */
const UNTOUCHED = 'untouched';

const group = (value: 'control' | 'treatment', secure: boolean) => `segment_group=${value}; Path=/; Max-Age=7776000; SameSite=Lax${secure ? '; Secure' : ''}`;
const cookie = (value: string, secure: boolean, maxAge = 2592000) =>
  `${secure ? '__Host-' : ''}segment=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;

export interface Case {
  readonly name: string;
  readonly method?: 'GET' | 'HEAD' | 'POST';
  /** Path and query. */
  readonly url: string;
  readonly https?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  /** The platform's own geo for this request (Netlify context.geo, request.cf, Vercel's proxy header). */
  readonly country?: string;
  readonly site?: SiteName;
  readonly expect: {
    readonly status: number;
    /** `marker:<name>` in the body; null: an empty body. */
    readonly marker: string | null;
    /** The one Set-Cookie header, exactly; null: none. */
    readonly setCookie: string | null;
    readonly cacheControl: string;
  };
  /** Where a host legitimately differs, the equivalent it must give instead. */
  readonly differs?: Readonly<Partial<Record<RuntimeId, Partial<Case['expect']>>>>;
}

const FORGED_GEO = {
  'cf-ipcountry': 'DE',
  'x-vercel-ip-country': 'DE',
  'x-nf-geo': Buffer.from(JSON.stringify({ country: { code: 'DE', name: 'Germany' } })).toString('base64'),
  'x-country-code': 'DE',
  'x-forwarded-for': '81.2.69.142',
};
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

export const CASES: readonly Case[] = [
  // The default page.
  { name: 'default visit', url: '/pricing/', expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE } },
  { name: 'root page default', url: '/', expect: { status: 200, marker: 'home-default', setCookie: null, cacheControl: NO_CACHE } },

  // Rules: inferred signals steer this response only.
  {
    name: 'rule: first-party cookie present',
    url: '/pricing/',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: NO_CACHE },
  },
  // The URL form a page's file is not served at (`/pricing` of `pricing/index.html`) is the host's
  // to answer, the same for every visitor: the edge routers run only on the form that serves the
  // file (route-patterns.ts). Cloudflare's assets redirect it; Netlify does too (a 301), where this
  // origin stand-in serves the file as it is. Both cases below get the same answer on each host.
  {
    name: 'default visit, no trailing slash',
    url: '/pricing',
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
    differs: { deno: { cacheControl: UNTOUCHED }, workerd: { status: 307, marker: null, cacheControl: UNTOUCHED } },
  },
  {
    name: 'rule: cookie presence, no trailing slash',
    url: '/pricing',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: NO_CACHE },
    differs: {
      deno: { marker: 'pricing-default', cacheControl: UNTOUCHED },
      workerd: { status: 307, marker: null, cacheControl: UNTOUCHED },
    },
  },
  {
    name: 'rule: utm_source, case-insensitive',
    url: '/pricing/?utm_source=PartnerHub',
    expect: { status: 200, marker: 'pricing-partner', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'rule: platform country (eu)',
    url: '/offers/',
    country: 'DE',
    expect: { status: 200, marker: 'offers-eu', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'rule: platform country (na)',
    url: '/offers/',
    country: 'US',
    expect: { status: 200, marker: 'offers-na', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'rule: two dimensions on the root page',
    url: '/',
    country: 'FR',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'home-customer-eu', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'combination without its own file gets the public file',
    url: '/',
    country: 'US',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'home-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'forged geo headers are ignored',
    url: '/offers/',
    headers: FORGED_GEO,
    expect: { status: 200, marker: 'offers-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'forged geo headers do not override the platform',
    url: '/offers/',
    country: 'US',
    headers: FORGED_GEO,
    expect: { status: 200, marker: 'offers-na', setCookie: null, cacheControl: NO_CACHE },
  },

  // Explicit choice: the only thing remembered.
  {
    name: 'explicit choice sets the cookie (http)',
    url: '/pricing/?segment=customer',
    expect: { status: 200, marker: 'pricing-customer', setCookie: cookie('audience:customer', false), cacheControl: NO_STORE },
  },
  {
    name: 'explicit choice over https sets a __Host- cookie',
    url: '/pricing/?segment=customer',
    https: true,
    expect: { status: 200, marker: 'pricing-customer', setCookie: cookie('audience:customer', true), cacheControl: NO_STORE },
  },
  {
    name: 'explicit choice as dimension:value',
    url: '/pricing/?segment=audience:partner',
    https: true,
    expect: { status: 200, marker: 'pricing-partner', setCookie: cookie('audience:partner', true), cacheControl: NO_STORE },
  },
  {
    name: 'explicit choice beats rules',
    url: '/pricing/?segment=partner',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-partner', setCookie: cookie('audience:partner', false), cacheControl: NO_STORE },
  },
  {
    name: 'choice on another dimension merges with the stored one',
    url: '/?segment=eu',
    https: true,
    headers: { cookie: '__Host-segment=audience:customer' },
    expect: { status: 200, marker: 'home-customer-eu', setCookie: cookie('audience:customer|region:eu', true), cacheControl: NO_STORE },
  },
  {
    name: 'stored choice is followed, not re-set',
    url: '/pricing/',
    https: true,
    headers: { cookie: '__Host-segment=audience:partner' },
    expect: { status: 200, marker: 'pricing-partner', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'stored choice beats rules',
    url: '/pricing/',
    headers: { cookie: 'session=abc; segment=audience:partner' },
    expect: { status: 200, marker: 'pricing-partner', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'over https only the __Host- cookie counts',
    url: '/pricing/',
    https: true,
    headers: { cookie: 'segment=audience:partner' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'stored values that are not declared are ignored',
    url: '/pricing/',
    https: true,
    headers: { cookie: '__Host-segment=audience:astronaut|region:mars' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'reset clears the cookie and ignores rules',
    url: '/pricing/?segment=reset',
    https: true,
    headers: { cookie: '__Host-segment=audience:customer; session=abc' },
    expect: { status: 200, marker: 'pricing-default', setCookie: '__Host-segment=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure', cacheControl: NO_STORE },
  },
  {
    name: 'preview shows a value without storing it',
    url: '/pricing/?segment-preview=customer',
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'preview wins over a stored choice, which stays',
    url: '/pricing/?segment-preview=partner',
    https: true,
    headers: { cookie: '__Host-segment=audience:customer' },
    expect: { status: 200, marker: 'pricing-partner', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'unknown choice is ignored',
    url: '/pricing/?segment=astronaut',
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'unknown choice leaves the rules in place',
    url: '/pricing/?segment=astronaut',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: NO_CACHE },
  },

  // Policies: GPC and bots.
  {
    name: 'GPC: cookie rule not applied',
    url: '/pricing/',
    headers: { 'sec-gpc': '1', cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'GPC: utm rule not applied',
    url: '/pricing/?utm_source=partnerhub',
    headers: { 'sec-gpc': '1' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'GPC: country rule not applied',
    url: '/offers/',
    country: 'DE',
    headers: { 'sec-gpc': '1' },
    expect: { status: 200, marker: 'offers-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'GPC: explicit choice honoured and stored',
    url: '/pricing/?segment=customer',
    https: true,
    headers: { 'sec-gpc': '1' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: cookie('audience:customer', true), cacheControl: NO_STORE },
  },
  {
    name: 'GPC: stored choice followed',
    url: '/pricing/',
    https: true,
    headers: { 'sec-gpc': '1', cookie: '__Host-segment=audience:partner' },
    expect: { status: 200, marker: 'pricing-partner', setCookie: null, cacheControl: NO_CACHE },
  },
  // Sent twice (`Sec-GPC: 0` and `Sec-GPC: 1` arrive joined as `0, 1`): any exact 1 turns it on.
  {
    name: 'GPC sent twice (0 and 1): inference off',
    url: '/pricing/',
    headers: { 'sec-gpc': '0, 1', cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'GPC as one header "1, 1": inference off',
    url: '/offers/',
    country: 'DE',
    headers: { 'sec-gpc': '1, 1' },
    expect: { status: 200, marker: 'offers-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'DNT sent twice (1 and 0): inference off',
    url: '/pricing/?utm_source=partnerhub',
    headers: { dnt: '1, 0' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'bot gets the default page',
    url: '/pricing/',
    headers: { 'user-agent': GOOGLEBOT, cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'bot: a choice neither shows nor stores',
    url: '/pricing/?segment=customer',
    https: true,
    headers: { 'user-agent': GOOGLEBOT },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },

  // Holdout (site 'holdout'): consented visitors are drawn once; control gets nothing inferred.
  {
    name: 'holdout: consent and no group: drawn (control), group cookie set',
    site: 'holdout',
    url: '/pricing/',
    https: true,
    headers: { cookie: 'consent=yes; session=abc' },
    expect: { status: 200, marker: 'pricing-default', setCookie: group('control', true), cacheControl: NO_STORE },
  },
  {
    name: 'holdout: over http the group cookie is not Secure',
    site: 'holdout',
    url: '/pricing/',
    headers: { cookie: 'consent=yes' },
    expect: { status: 200, marker: 'pricing-default', setCookie: group('control', false), cacheControl: NO_STORE },
  },
  {
    name: 'holdout: stored control gets defaults, cookie not renewed',
    site: 'holdout',
    url: '/',
    country: 'DE',
    https: true,
    headers: { cookie: 'consent=yes; session=abc; segment_group=control' },
    expect: { status: 200, marker: 'home-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'holdout: stored treatment is personalized, cookie not renewed',
    site: 'holdout',
    url: '/pricing/',
    https: true,
    headers: { cookie: 'consent=yes; session=abc; segment_group=treatment' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'holdout: control keeps an explicit choice',
    site: 'holdout',
    url: '/pricing/?segment=partner',
    https: true,
    headers: { cookie: 'consent=yes; segment_group=control' },
    expect: { status: 200, marker: 'pricing-partner', setCookie: cookie('audience:partner', true), cacheControl: NO_STORE },
  },
  {
    name: 'holdout: a choice defers the draw (one Set-Cookie)',
    site: 'holdout',
    url: '/pricing/?segment=customer',
    https: true,
    headers: { cookie: 'consent=yes' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: cookie('audience:customer', true), cacheControl: NO_STORE },
  },
  {
    name: 'holdout: no consent cookie, no group',
    site: 'holdout',
    url: '/pricing/',
    https: true,
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'holdout: GPC, no group',
    site: 'holdout',
    url: '/pricing/',
    https: true,
    headers: { 'sec-gpc': '1', cookie: 'consent=yes' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'holdout: bot, no group',
    site: 'holdout',
    url: '/pricing/',
    https: true,
    headers: { 'user-agent': GOOGLEBOT, cookie: 'consent=yes' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'holdout: malformed group cookie is replaced',
    site: 'holdout',
    url: '/pricing/',
    https: true,
    headers: { cookie: 'consent=yes; segment_group=vip' },
    expect: { status: 200, marker: 'pricing-default', setCookie: group('control', true), cacheControl: NO_STORE },
  },

  // Methods and pages the router leaves alone.
  {
    name: 'HEAD is GET without a body',
    method: 'HEAD',
    url: '/pricing/',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: null, setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'HEAD with a choice stores it like GET',
    method: 'HEAD',
    url: '/pricing/?segment=customer',
    https: true,
    expect: { status: 200, marker: null, setCookie: cookie('audience:customer', true), cacheControl: NO_STORE },
  },
  {
    name: 'POST passes through untouched',
    method: 'POST',
    url: '/pricing/?segment=customer',
    headers: { cookie: 'session=abc' },
    expect: { status: 405, marker: null, setCookie: null, cacheControl: UNTOUCHED },
  },
  {
    name: 'non-personalized page untouched',
    url: '/docs/?segment=customer',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'docs', setCookie: null, cacheControl: PUBLIC },
  },
  {
    name: 'unknown page is the host 404',
    url: '/nope/?segment=customer',
    expect: { status: 404, marker: 'not-found', setCookie: null, cacheControl: UNTOUCHED },
  },
  {
    name: 'malformed percent-encoding in a choice is ignored',
    url: '/pricing/?segment=%E0%A4%A&segment-preview=%FF',
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },

  // Failures: always the default page, 200.
  {
    name: 'missing variant file serves the default',
    url: '/pricing/',
    headers: { referer: 'https://www.news.example/story' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'missing variant file: a choice of it is not stored',
    url: '/pricing/?segment=press',
    https: true,
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
    // The Vercel build drops variants whose file is missing (a rewrite cannot fall back), so the
    // choice is a normal choice of a value that looks like the default: stored like any other.
    differs: { vercel: { setCookie: cookie('audience:press', true), cacheControl: NO_STORE } },
  },
  {
    name: 'corrupted manifest: default page, untouched',
    site: 'corrupt',
    url: '/pricing/?segment=customer',
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: UNTOUCHED },
  },
  {
    name: 'corrupted manifest: other routes untouched',
    site: 'corrupt',
    url: '/offers/',
    country: 'DE',
    expect: { status: 200, marker: 'offers-default', setCookie: null, cacheControl: UNTOUCHED },
  },
  {
    name: 'exception in the decision: default page',
    site: 'throws',
    url: '/pricing/?segment=customer',
    https: true,
    headers: { cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: UNTOUCHED },
  },
  {
    name: 'exception on one route leaves the others working',
    site: 'throws',
    url: '/offers/',
    country: 'DE',
    expect: { status: 200, marker: 'offers-eu', setCookie: null, cacheControl: NO_CACHE },
  },

  // Prefetch (Astro and Starlight prefetch links on hover): shown like a navigation, never stored, and
  // `no-store` where a navigation would store, so the browser cannot keep it for the navigation.
  {
    name: 'prefetch of a choice shows it and stores nothing',
    url: '/pricing/?segment=customer',
    https: true,
    headers: { 'sec-purpose': 'prefetch' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: NO_STORE },
  },
  {
    name: 'prefetch of "the standard version" clears nothing',
    url: '/pricing/?segment=reset',
    https: true,
    headers: { 'sec-purpose': 'prefetch', cookie: '__Host-segment=audience:partner' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_STORE },
  },
  {
    name: 'prerender (Sec-Purpose: prefetch;prerender) of a choice stores nothing',
    url: '/pricing/?segment=partner',
    headers: { 'sec-purpose': 'prefetch;prerender' },
    expect: { status: 200, marker: 'pricing-partner', setCookie: null, cacheControl: NO_STORE },
  },
  {
    name: 'prefetch with the older Purpose header stores nothing',
    url: '/pricing/?segment=customer',
    headers: { purpose: 'prefetch' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: NO_STORE },
  },
  {
    name: 'prefetch without a choice is decided like a navigation',
    url: '/pricing/',
    https: true,
    headers: { 'sec-purpose': 'prefetch', cookie: 'session=abc' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'prefetch follows the stored choice',
    url: '/pricing/',
    https: true,
    headers: { 'sec-purpose': 'prefetch', cookie: '__Host-segment=audience:partner' },
    expect: { status: 200, marker: 'pricing-partner', setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'holdout: a prefetch is not drawn (served ungrouped, no-store)',
    site: 'holdout',
    url: '/pricing/',
    https: true,
    headers: { 'sec-purpose': 'prefetch', cookie: 'consent=yes; session=abc' },
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: NO_STORE },
  },
  {
    name: 'holdout: a prefetch keeps the stored group, not renewed',
    site: 'holdout',
    url: '/pricing/',
    https: true,
    headers: { 'sec-purpose': 'prefetch', cookie: 'consent=yes; session=abc; segment_group=control' },
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: NO_CACHE },
  },
];

/** A request as a runtime must send it, with a secret planted in every input it can carry. */
export interface PlantedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly country: string | undefined;
  readonly site: SiteName;
}

/** What a runtime answered, read in full. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface Runtime {
  fetch(request: PlantedRequest): Promise<Answer>;
  stop(): Promise<void>;
  /** Privacy recorders the runtime could not turn into a failing response (in-process runtimes). */
  violations?(): string[];
}

export function plant(c: Case, token: string, origin = 'http://site.test'): PlantedRequest {
  const url = new URL(c.url, c.https ? origin.replace(/^http:/, 'https:') : origin);
  url.searchParams.append('planted', token);
  const headers = new Headers({
    'user-agent': `Mozilla/5.0 (X11; Linux x86_64) planted/${token}`,
    'accept-language': `en-GB,en;q=0.9,x-${token.slice(0, 8)};q=0.1`,
    referer: `https://planted-${token}.example/page`,
    'x-planted': token,
    dnt: '0',
  });
  for (const [name, value] of Object.entries(c.headers ?? {})) headers.set(name, value);
  headers.set('cookie', [c.headers?.cookie, `planted=${token}`].filter(Boolean).join('; '));
  return { method: c.method ?? 'GET', url: url.href, headers, country: c.country, site: c.site ?? 'main' };
}

/**
 * Run the whole table against one runtime. `start` runs in beforeAll (one
 * startup per runtime); the runtime is stopped in afterAll.
 */
export function conformance(id: RuntimeId, name: string, start: () => Promise<Runtime>): void {
  describe(`conformance: ${name}`, () => {
    const token = randomBytes(16).toString('hex');
    let runtime: Runtime;
    beforeAll(async () => {
      runtime = await start();
    });
    afterAll(async () => {
      await runtime?.stop();
    });

    it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
      const expected = { ...c.expect, ...c.differs?.[id] };
      const request = plant(c, token);
      const answer = await runtime.fetch(request);
      const found = answer.body.match(/marker:([\w-]+)/)?.[1] ?? null;
      expect({
        status: answer.status,
        marker: expected.marker === null ? (answer.body === '' ? null : answer.body.slice(0, 80)) : found,
        setCookie: answer.headers.getSetCookie(),
      }).toEqual({ status: expected.status, marker: expected.marker, setCookie: expected.setCookie === null ? [] : [expected.setCookie] });
      const cacheControl = answer.headers.get('cache-control');
      if (expected.cacheControl === UNTOUCHED) expect(cacheControl ?? '').not.toMatch(/private/);
      else expect(cacheControl).toBe(expected.cacheControl);
      // Debug is off in this manifest: no explanation header either.
      expect(answer.headers.has('x-segments')).toBe(false);
      // Privacy: nothing from the request comes back, in any header or in the body. But for the
      // host's own redirect of a URL to the form that serves its page (the trailing-slash cases),
      // whose Location is the request's URL with a slash, query and all, as for every visitor.
      const headers = [...answer.headers].filter(([name, value]) => !(name === 'location' && isSlashRedirect(answer.status, value, request.url)));
      const everything = `${headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n${answer.body}`;
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(token.slice(0, 8));
      expect(runtime.violations?.() ?? []).toEqual([]);
    });
  });
}

/** A redirect to `url` with a slash after its path, the query unchanged. */
function isSlashRedirect(status: number, location: string, url: string): boolean {
  if (status < 300 || status > 399) return false;
  const from = new URL(url);
  const to = new URL(location, url);
  return to.origin === from.origin && to.pathname === `${from.pathname}/` && to.search === from.search;
}
