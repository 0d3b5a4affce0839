/**
 * On-demand (server-rendered) pages: a `server` site with @astrojs/node, built
 * by real Astro and served by its own built `dist/server/entry.mjs` in a child
 * process, requested over HTTP. Personalized on-demand pages follow the
 * router's semantics through Astro middleware; the prerendered page in the same
 * site is sliced at build and left alone at request time. The site's own
 * middleware asks every response to be cached by the CDN, and by Astro's route
 * cache when one is configured (a second build, with the in-memory provider).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '@astro-segments/edge';
import { memoryCache } from 'astro/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedCountry } from '../packages/astro-segments/src/ssr/geo.ts';
import { localsTypes } from '../packages/astro-segments/src/ssr/locals-types.ts';
import { validateOptions } from '../packages/astro-segments/src/validate-options.ts';
import { startAstroDev, startNodeEntry, type RunningServer } from './utils/astro-dev.ts';
import { buildFixture, FIXTURES, normalizeHtml, type BuiltFixture } from './utils/fixture.ts';

const root = join(FIXTURES, 'ssr-site');
let site: BuiltFixture;
let server: RunningServer;

beforeAll(async () => {
  site = await buildFixture(root);
  server = await startNodeEntry(join(site.outDir, 'server', 'entry.mjs'), '/about');
});

afterAll(async () => {
  await server?.stop();
  await site?.cleanup();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.origin}${path}`, { headers, redirect: 'manual' });
  return { response, body: await response.text() };
};
const main = (body: string) => /<main\b[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';
const cookies = (response: Response) => response.headers.getSetCookie();
/** The layout's <SegmentNotice> as a page shows it: each notice's text and links. */
const notices = (body: string) =>
  [...body.matchAll(/<aside\b[^>]*\bsegment-notice[\s\S]*?<\/aside>/g)].map((match) =>
    // `astro dev` marks every element with its source location.
    normalizeHtml(match[0].replace(/ data-astro-source-(?:file|loc)="[^"]*"/g, '')),
  );
/** Headers a host's CDN (or a surrogate) obeys instead of Cache-Control; the site's middleware sets each on every response. */
const CDN_HEADERS = ['cdn-cache-control', 'netlify-cdn-cache-control', 'vercel-cdn-cache-control', 'cloudflare-cdn-cache-control', 'surrogate-control'];

describe('an on-demand page with segment blocks', () => {
  it('serves the default variant, with no markers, no choice cookie, and Cache-Control: private over the page own header', async () => {
    const { response, body } = await get('/pricing');
    expect(response.status).toBe(200);
    expect(main(body)).toMatch(/<h1>Pricing<\/h1><p id="price">\$29 a month<\/p><p id="rendered">/);
    expect(body).not.toMatch(/astro-segment|data-when|Your plan|€|Spring offer/);
    // The page set `public, max-age=3600` and the site's middleware would set another: private wins.
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    expect(response.headers.get('x-segments')).toBe('audience=prospect (default); region=other (default); campaign=none (default)');
    expect(response.headers.get('x-site-middleware')).toBe('saw-segments');
    // The page's own cookie is kept; no choice, no segment cookie.
    expect(cookies(response)).toEqual(['visited=1; Path=/']);
    expect(body).toContain('<html data-segments="audience=prospect;region=other;campaign=none"');
  });

  it('switches with ?segment= and remembers the choice in the same cookie as the router', async () => {
    const { response, body } = await get('/pricing?segment=customer');
    expect(main(body)).toContain('<h1>Your plan: Starter</h1>');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-segments')).toBe('audience=customer (choice); region=other (default); campaign=none (default)');
    expect(cookies(response).sort()).toEqual(['segment=audience:customer; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax', 'visited=1; Path=/']);
  });

  it('follows the remembered choice in the cookie, without setting it again', async () => {
    const { response, body } = await get('/pricing', { cookie: 'segment=audience:customer' });
    expect(main(body)).toContain('<h1>Your plan: Starter</h1>');
    expect(response.headers.get('x-segments')).toContain('audience=customer (cookie)');
    expect(cookies(response)).toEqual(['visited=1; Path=/']);
    const reset = await get('/pricing?segment=reset', { cookie: 'segment=audience:customer' });
    expect(main(reset.body)).toContain('<h1>Pricing</h1>');
    expect(cookies(reset.response)).toContain('segment=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
  });

  it('applies campaign rules per request, and GPC turns inference off', async () => {
    const spring = await get('/pricing?utm_campaign=spring');
    expect(main(spring.body)).toContain('<p id="offer">Spring offer: a month free</p>');
    expect(spring.response.headers.get('x-segments')).toContain('campaign=spring (rule 1)');
    expect(cookies(spring.response)).toEqual(['visited=1; Path=/']);
    const gpc = await get('/pricing?utm_campaign=spring', { 'sec-gpc': '1' });
    expect(main(gpc.body)).not.toContain('Spring offer');
    expect(gpc.response.headers.get('x-segments')).toContain('campaign=none (gpc)');
  });

  it('renders each request anew: the page is not served from a variant file', async () => {
    const first = main((await get('/pricing')).body);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = main((await get('/pricing')).body);
    expect(first).not.toBe(second);
  });

  it('never takes the country from a client header on Node: no platform geo, no country rules', async () => {
    const { response, body } = await get('/pricing', { 'x-vercel-ip-country': 'DE', 'x-nf-geo': 'eyJjb3VudHJ5Ijp7ImNvZGUiOiJERSJ9fQ==', 'cf-ipcountry': 'DE' });
    expect(main(body)).toContain('$29 a month');
    expect(response.headers.get('x-segments')).toContain('region=other (default)');
  });

  it('answers a page whose blocks are wrong with Astro’s 500, naming the mistake', async () => {
    const { response } = await get('/broken');
    expect(response.status).toBe(500);
    expect(server.output()).toContain('does not declare that it varies on it');
  });
});

describe('Astro.locals.segments on on-demand routes', () => {
  it('gives a page the decision; the response varies on what the page read', async () => {
    const plain = await get('/hello');
    expect(main(plain.body)).toContain('Hello, world');
    expect(plain.response.headers.get('cache-control')).toBe('private, no-cache');
    expect(plain.response.headers.get('x-segments')).toBe('region=other (default)');
    const chosen = await get('/hello?segment=region:eu');
    expect(main(chosen.body)).toContain('Hello, Europe');
    expect(cookies(chosen.response)).toEqual(['segment=region:eu; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax']);
  });

  it('works in endpoints too', async () => {
    const { response, body } = await get('/segments.json?segment-preview=customer');
    expect(JSON.parse(body)).toEqual({ audience: 'customer' });
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    expect(response.headers.get('x-segments')).toBe('audience=customer (preview)');
  });

  it('is typed with the site’s own dimensions and values through injectTypes', async () => {
    const types = await readFile(join(root, '.astro', 'integrations', 'astro-segments', 'locals.d.ts'), 'utf8');
    expect(types).toContain("readonly region: 'eu' | 'other';");
    expect(types).toBe(
      localsTypes(
        validateOptions({
          dimensions: {
            audience: { default: 'prospect', values: { customer: {}, prospect: {} } },
            region: { default: 'other', values: { eu: {}, other: {} } },
            campaign: { default: 'none', values: { spring: {}, none: {} } },
          },
        }),
      ),
    );
    // .astro/types.d.ts references it, so `astro check` and editors see it.
    expect(await readFile(join(root, '.astro', 'types.d.ts'), 'utf8')).toContain('integrations/astro-segments/locals.d.ts');
  });
});

describe('pages that are not personalized on demand', () => {
  it('passes a plain on-demand page through untouched, even with ?segment=', async () => {
    const { response, body } = await get('/about?segment=customer');
    expect(main(body)).toContain('Not personalized.');
    expect(response.headers.get('cache-control')).toBe('public, max-age=600');
    expect(response.headers.get('x-segments')).toBeNull();
    expect(cookies(response)).toEqual([]);
  });

  it('leaves a prerendered page to the build and the host router: sliced once at build, served as built', async () => {
    // The build found the markers (the middleware did not strip them while prerendering) and sliced the page.
    const manifest = JSON.parse(await site.read(join('client', '_segments', 'manifest.json'))) as Manifest;
    expect(Object.keys(manifest.routes)).toEqual(['/plans-built', '/static']);
    const files = await site.files();
    const variant = manifest.routes['/static']!.variants.customer!;
    expect(files).toContain(join('client', '_segments', `${variant}.html`));
    const built = await site.read(join('client', 'static', 'index.html'));
    expect(built).toContain('<h1>Welcome</h1>');
    expect(built).toContain('<p id="locals">no locals</p>');
    // At request time the adapter serves the file: no decision, no cookie, no private header.
    const { response, body } = await get('/static/?segment=customer');
    expect(body).toBe(built);
    expect(response.headers.get('x-segments')).toBeNull();
    expect(cookies(response)).toEqual([]);
  });
});

/** Requests for the page that varies on audience and region, and the built file each would get. */
const SHAPES = [
  { query: '', key: 'prospect/other' },
  { query: '?segment-preview=customer', key: 'customer/other' },
  // The page has nothing for "eu": the build serves its default file, whose notice names no version.
  { query: '?segment-preview=eu', key: 'prospect/eu' },
  { query: '?segment-preview=customer,eu', key: 'customer/eu' },
];

/** The prerendered twin's built file for a combination: its variant file, or the public page. */
async function builtPlans(key: string): Promise<string> {
  const manifest = JSON.parse(await site.read(join('client', '_segments', 'manifest.json'))) as Manifest;
  const hash = manifest.routes['/plans-built']?.variants[key];
  return site.read(hash ? join('client', '_segments', `${hash}.html`) : join('client', 'plans-built', 'index.html'));
}

describe('the holdout on on-demand pages', () => {
  const GROUP = /^segment_group=(control|treatment); Path=\/; Max-Age=7776000; SameSite=Lax$/;

  it('gives the control group nothing inferred, and the treatment group the rules, as the router does', async () => {
    const control = await get('/pricing?utm_campaign=spring', { cookie: 'consent=1; segment_group=control' });
    expect(main(control.body)).not.toContain('Spring offer');
    expect(control.response.headers.get('x-segments')).toContain('campaign=none (holdout)');
    const treatment = await get('/pricing?utm_campaign=spring', { cookie: 'consent=1; segment_group=treatment' });
    expect(main(treatment.body)).toContain('Spring offer');
    // A stored group is never set again.
    expect([...cookies(control.response), ...cookies(treatment.response)].filter((cookie) => cookie.startsWith('segment_group='))).toEqual([]);
  });

  it('draws a new visitor once: the blocks and Astro.locals.segments see the group the cookie stores', async () => {
    for (let visitor = 0; visitor < 20; visitor++) {
      const { response, body } = await get('/pricing?utm_campaign=spring', { cookie: 'consent=1' });
      const stored = cookies(response).filter((cookie) => cookie.startsWith('segment_group='));
      expect(stored).toHaveLength(1);
      const group = GROUP.exec(stored[0]!)?.[1];
      const inferred = group === 'treatment';
      expect(main(body).includes('Spring offer'), `${group}: blocks`).toBe(inferred);
      expect(main(body), `${group}: locals`).toContain(`<p id="campaign">${inferred ? 'spring' : 'none'}</p>`);
    }
  });

  it('groups nobody without consent', async () => {
    const { response, body } = await get('/pricing?utm_campaign=spring');
    expect(main(body)).toContain('Spring offer');
    expect(cookies(response)).toEqual(['visited=1; Path=/']);
  });
});

describe('the notice on on-demand pages reads as the build writes it', () => {
  it.each(SHAPES)('names the same version as the built page for $key', async ({ query, key }) => {
    const built = notices(await builtPlans(key));
    const { response, body } = await get(`/plans${query}`);
    expect(response.status).toBe(200);
    expect(notices(body)).toEqual(built);
    expect(body).not.toMatch(/<astro-segment/);
    // The build names a version only where the page has content for it.
    expect(built.some((notice) => /\beu\b|EU|Europe/.test(notice))).toBe(false);
    expect(built.length).toBe(key.startsWith('customer') ? 1 : 0);
  });

  it('serves a page whose only markers are its layout’s notice as a plain page: no notice, no decision', async () => {
    const { response, body } = await get('/about?segment=customer');
    expect(response.status).toBe(200);
    expect(body).not.toMatch(/<astro-segment|segment-notice/);
    expect(response.headers.get('x-segments')).toBeNull();
  });
});

describe('no shared cache keeps a personalized on-demand response', () => {
  it.each(CDN_HEADERS)('strips %s from personalized pages, pages that read locals, and endpoints; the others keep it', async (name) => {
    for (const path of ['/pricing?segment=customer', '/pricing', '/hello', '/plans', '/segments.json']) {
      const { response } = await get(path);
      expect(response.headers.get('cache-control'), path).toMatch(/^private, no-/);
      expect(response.headers.has(name), `${path} ${name}`).toBe(false);
    }
    expect((await get('/about')).response.headers.get(name)).toBe('public, max-age=600');
  });
});

describe("Astro's route cache (cache.provider) with personalized on-demand pages", () => {
  let cached: BuiltFixture;
  let cachedServer: RunningServer;
  beforeAll(async () => {
    // The same site with Astro's in-memory route cache: it keeps a response under its URL for
    // every later visitor when the response asks for it (the site's middleware asks for every one).
    cached = await buildFixture(root, { cache: { provider: memoryCache() } });
    cachedServer = await startNodeEntry(join(cached.outDir, 'server', 'entry.mjs'), '/about');
  });
  afterAll(async () => {
    await cachedServer?.stop();
    await cached?.cleanup();
  });
  const cachedGet = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${cachedServer.origin}${path}`, { headers });
    return { response, body: await response.text() };
  };

  it('never stores a personalized response; it still stores the others', async () => {
    // The cache works: a page that is not personalized is stored, and answered from memory.
    expect((await cachedGet('/about')).response.headers.get('x-astro-cache')).toMatch(/MISS|HIT/);
    expect((await cachedGet('/about')).response.headers.get('x-astro-cache')).toBe('HIT');
    // A customer (by the site's login cookie: no Set-Cookie, which would keep the cache away)…
    const customer = await cachedGet('/plans', { cookie: 'session=1' });
    expect(main(customer.body)).toContain('Your plans');
    expect(customer.response.headers.get('x-astro-cache')).toBeNull();
    // …and the next visitor gets their own page, not the customer's from the cache.
    const next = await cachedGet('/plans');
    expect(main(next.body)).toContain('<h1>Plans</h1>');
    expect(next.response.headers.get('x-astro-cache')).toBeNull();
    // The same for a page that only reads locals.segments (a remembered choice: no Set-Cookie).
    expect(main((await cachedGet('/hello', { cookie: 'segment=region:eu' })).body)).toContain('Hello, Europe');
    expect(main((await cachedGet('/hello')).body)).toContain('Hello, world');
  });
});

describe('geo for on-demand pages comes only from the platform', () => {
  const request = (headers: Record<string, string> = {}, cf?: object) => Object.assign(new Request('https://example.com/', { headers }), cf ? { cf } : {});

  it('reads Netlify’s function context, Vercel’s proxy header on Vercel, Cloudflare’s request.cf', () => {
    expect(trustedCountry('netlify', { request: request(), locals: { netlify: { context: { geo: { country: { code: 'DE' } } } } } })).toBe('DE');
    expect(trustedCountry('vercel', { request: request({ 'x-vercel-ip-country': 'FR' }), locals: {} })).toBe('FR');
    expect(trustedCountry('cloudflare', { request: request({}, { country: 'NL' }), locals: {} })).toBe('NL');
  });

  it('ignores every client-sendable header elsewhere, and anything that is not a string', () => {
    const spoofed = request({ 'x-vercel-ip-country': 'FR', 'cf-ipcountry': 'FR', 'x-country': 'FR', 'x-forwarded-for': '81.2.69.160' });
    expect(trustedCountry(undefined, { request: spoofed, locals: {} })).toBeUndefined();
    expect(trustedCountry('netlify', { request: spoofed, locals: {} })).toBeUndefined();
    expect(trustedCountry('cloudflare', { request: spoofed, locals: {} })).toBeUndefined();
    expect(trustedCountry('netlify', { request: spoofed, locals: { netlify: { context: { geo: { country: { code: 7 } } } } } })).toBeUndefined();
  });
});

describe('on-demand pages in astro dev', () => {
  let dev: RunningServer;
  beforeAll(async () => {
    dev = await startAstroDev(root, { path: '/about', expect: 'Not personalized.' });
  });
  afterAll(async () => {
    await dev?.stop();
  });
  const devGet = async (path: string) => {
    const response = await fetch(`${dev.origin}${path}`);
    return { response, body: await response.text() };
  };

  it('slices them once, in the dev server, with simulated signals and the toolbar data', async () => {
    const { response, body } = await devGet('/pricing?segment-country=DE');
    expect(main(body)).toContain('€29 a month');
    expect(body).not.toMatch(/<astro-segment/);
    expect(body).toContain('<script type="application/json" id="astro-segments-dev">');
    expect(response.headers.get('x-segments')).toBe('audience=prospect (default); region=eu (rule 1); campaign=none (default)');
  });

  it('keeps the page’s own cookies next to the choice cookie', async () => {
    const { response, body } = await devGet('/pricing?segment=customer');
    expect(main(body)).toContain('Your plan: Starter');
    expect(response.headers.getSetCookie().sort()).toEqual(['segment=audience:customer; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax', 'visited=1; Path=/']);
  });

  it.each(SHAPES)('shows the built page’s notice on the on-demand page and the prerendered one alike: $key', async ({ query, key }) => {
    const built = notices(await builtPlans(key));
    expect(notices((await devGet(`/plans${query}`)).body)).toEqual(built);
    expect(notices((await devGet(`/plans-built${query}`)).body)).toEqual(built);
  });

  it('serves an on-demand page whose only markers are its layout’s notice as a plain page', async () => {
    const { response, body } = await devGet('/about');
    expect(response.status).toBe(200);
    expect(body).not.toMatch(/<astro-segment|segment-notice/);
  });

  it('fills Astro.locals.segments from the same simulated signals', async () => {
    const { response, body } = await devGet('/hello?segment-country=DE');
    expect(main(body)).toContain('Hello, Europe');
    expect(response.headers.get('x-segments')).toBe('region=eu (rule 1)');
  });
});
