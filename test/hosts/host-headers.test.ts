/**
 * The host's own headers around the router, on the hosts whose static layer the
 * router reads files through (Netlify's `context.next()`, Cloudflare's
 * `ASSETS.fetch`). The test site's `_headers` (test/hosts/site/_headers) has the
 * rules a site might write: security and CDN caching for every page, `noindex`
 * and a long CDN lifetime for the variant folder.
 *
 * - A personalized response at the public URL carries the variant file's
 *   content headers and security headers, never its indexing or caching
 *   headers, and never a CDN-targeted cache header at all.
 * - A direct request for a variant file gets the site's rules and the
 *   immutable `Cache-Control`; a page the router leaves alone gets the rules untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from './cases.ts';
import { getRequest } from './case-sites.ts';
import { startDeno } from './runtimes/deno.ts';
import { startWorkerd } from './runtimes/workerd.ts';

const RUNTIMES: readonly (readonly [string, () => Promise<Runtime>])[] = [
  ["Netlify (Deno, Netlify's edge bootstrap)", startDeno],
  ['Cloudflare (workerd, the assets binding)', startWorkerd],
];

const get = (path: string, headers: Record<string, string> = {}) => getRequest('https://site.test', path, headers);

const CDN_HEADERS = ['cdn-cache-control', 'netlify-cdn-cache-control', 'vercel-cdn-cache-control', 'cloudflare-cdn-cache-control', 'surrogate-control'];

describe.each(RUNTIMES)('%s', (_, start) => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await start();
  }, 120_000);
  afterAll(async () => {
    await runtime?.stop();
  });

  it("serves a variant at the public URL without the variant folder's indexing and caching headers", async () => {
    const answer = await runtime.fetch(get('/pricing/', { cookie: 'session=1' }));
    expect(answer.body).toMatch(/marker:pricing-customer/);
    expect(answer.headers.get('cache-control')).toBe('private, no-cache');
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.headers.has('x-robots-tag')).toBe(false);
    for (const name of CDN_HEADERS) expect(answer.headers.has(name), name).toBe(false);
    // Security headers a site sets for every path stay on.
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
  });

  it("serves the default at the public URL with the page's own headers, minus the CDN caching", async () => {
    const answer = await runtime.fetch(get('/pricing/'));
    expect(answer.body).toMatch(/marker:pricing-default/);
    expect(answer.headers.get('cache-control')).toBe('private, no-cache');
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    for (const name of CDN_HEADERS) expect(answer.headers.has(name), name).toBe(false);
  });

  it('answers a conditional request for the same variant with a 304 or that variant, still private', async () => {
    const first = await runtime.fetch(get('/pricing/', { cookie: 'session=1' }));
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // Netlify's context.next() drops the validators unless asked (sendConditionalRequest): the full file.
    const again = await runtime.fetch(get('/pricing/', { cookie: 'session=1', 'if-none-match': etag! }));
    expect(again.headers.get('cache-control')).toBe('private, no-cache');
    if (again.status !== 304) expect([again.status, again.body]).toEqual([200, first.body]);
    // Another visitor with that validator gets the full default page.
    const other = await runtime.fetch(get('/pricing/', { 'if-none-match': etag! }));
    expect(other.status).toBe(200);
    expect(other.body).toMatch(/marker:pricing-default/);
  });

  it("gives a direct request for a variant file the site's rules and the immutable Cache-Control", async () => {
    let answer = await runtime.fetch(get('/_segments/c0ffee01.html'));
    // Cloudflare's assets serve `x.html` at `x` (a same-origin redirect first).
    if (answer.status === 307) answer = await runtime.fetch(get(new URL(answer.headers.get('location')!, 'https://site.test').pathname));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(answer.headers.get('x-robots-tag')).toBe('noindex');
    expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it('leaves a page the router does not personalize exactly as the host serves it', async () => {
    const answer = await runtime.fetch(get('/docs/', { cookie: 'session=1' }));
    expect(answer.headers.get('cdn-cache-control')).toBe('public, max-age=60');
    expect(answer.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
  });
});
