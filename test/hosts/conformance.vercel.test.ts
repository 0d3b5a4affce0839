import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, conformance, plant } from './cases.ts';
import { startVercel, type VercelRuntime } from './runtimes/vercel.ts';
import { formerOrder } from './runtimes/vercel-former-order.ts';

conformance('vercel', "Vercel's edge runtime running the generated routing middleware", startVercel);

describe('Vercel middleware protocol', () => {
  let vercel: VercelRuntime;
  beforeAll(async () => {
    vercel = await startVercel();
  });
  afterAll(async () => {
    await vercel?.stop();
  });
  const byName = (name: string) => plant(CASES.find((c) => c.name === name)!, 'protocol');

  it("limits the middleware route to the personalized paths, after the variant files' header route and before the filesystem", () => {
    expect(vercel.config.version).toBe(3);
    expect(vercel.config.routes).toEqual([
      {
        src: '^/_segments/(?:a0a0a0a0|c0ffee01|e0e0e0e0|h0me0ce0|h0me0co0|h0me0pe0|pa2tner01)\\.html$',
        headers: { 'Cache-Control': 'public, max-age=31536000, immutable' },
        continue: true,
      },
      { src: '^(?:/|/offers|/offers/|/pricing|/pricing/)$', middlewarePath: '_astro-segments', middlewareRawSrc: ['/', '/offers', '/pricing'], continue: true },
      { handle: 'filesystem' },
      { src: '/.*', dest: '/404.html', status: 404 },
    ]);
  });

  it('rewrites a chosen variant to its file, same origin, with the decision headers', async () => {
    const response = (await vercel.middleware(byName('explicit choice over https sets a __Host- cookie')))!;
    expect(response.headers.get('x-middleware-rewrite')).toBe('https://site.test/_segments/c0ffee01.html');
    expect(response.headers.has('x-middleware-next')).toBe(false);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.getSetCookie()).toEqual(['__Host-segment=audience:customer; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure']);
    expect(await response.text()).toBe('');
  });

  it('continues to the public file for the default, still marked private', async () => {
    const response = (await vercel.middleware(byName('default visit')))!;
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(response.headers.has('x-middleware-rewrite')).toBe(false);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('continues untouched, with no header at all, when the router declines (POST)', async () => {
    const response = (await vercel.middleware(byName('POST passes through untouched')))!;
    expect([...response.headers]).toEqual([['x-middleware-next', '1']]);
  });

  it('continues untouched when the decision throws', async () => {
    const response = (await vercel.middleware(byName('exception in the decision: default page')))!;
    expect([...response.headers]).toEqual([['x-middleware-next', '1']]);
  });

  it('is not invoked on other paths', async () => {
    expect(await vercel.middleware(byName('non-personalized page untouched'))).toBeUndefined();
  });
});

describe('the Vercel harness routes as Vercel does: the former route order leaks a personalized page into caches', () => {
  let current: VercelRuntime;
  let former: VercelRuntime;
  beforeAll(async () => {
    current = await startVercel();
    former = await startVercel({ config: formerOrder });
  });
  afterAll(async () => {
    await current?.stop();
    await former?.stop();
  });
  const choice = plant(CASES.find((c) => c.name === 'explicit choice over https sets a __Host- cookie')!, 'order');
  const customer = plant(CASES.find((c) => c.name === 'rule: first-party cookie present')!, 'order');

  it('serves the chosen variant at the public URL as private with the generated order', async () => {
    for (const p of [choice, customer]) {
      const answer = await current.fetch(p);
      expect(answer.body).toMatch(/marker:pricing-customer/);
      expect(answer.headers.get('cache-control')).toMatch(/^private, no-(store|cache)$/);
    }
  });

  it('marks the same response public and immutable for a year with the former order', async () => {
    for (const p of [choice, customer]) {
      const answer = await former.fetch(p);
      expect(answer.body).toMatch(/marker:pricing-customer/);
      expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    // The conformance case that guards it fails on the former order.
    expect((await former.fetch(choice)).headers.get('cache-control')).not.toBe(
      CASES.find((c) => c.name === 'explicit choice over https sets a __Host- cookie')!.expect.cacheControl,
    );
  });

  it('still marks a direct request for a variant file immutable, and only variant files', async () => {
    const direct = await current.fetch({ ...choice, url: 'https://site.test/_segments/c0ffee01.html' });
    expect(direct.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(direct.headers.getSetCookie()).toEqual([]);
    const manifest = await current.fetch({ ...choice, url: 'https://site.test/_segments/manifest.json' });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
  });
});
