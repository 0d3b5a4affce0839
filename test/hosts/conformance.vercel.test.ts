import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, conformance, plant } from './cases.ts';
import { startVercel, type VercelRuntime } from './runtimes/vercel.ts';

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

  it('puts the middleware route first, limited to the personalized paths', () => {
    expect(vercel.config.version).toBe(3);
    expect(vercel.config.routes[0]).toEqual({
      src: '^(?:/|/offers|/offers/|/pricing|/pricing/)$',
      middlewarePath: '_astro-segments',
      middlewareRawSrc: ['/', '/offers', '/pricing'],
      continue: true,
      override: true,
    });
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
