/**
 * A site built by real Astro with @astrojs/vercel, then routed through the Vercel
 * harness (Vercel's edge runtime for the middleware, the generated config.json
 * applied route by route): a personalized URL gets what the public URL gets without
 * the router — the adapter's trailing-slash and config redirects, its per-route
 * headers — and only the variant files are marked immutable.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '@astro-segments/edge';
import { getRequest, PRICING_MD } from './case-sites.ts';
import { startVercel, type VercelRuntime } from './runtimes/vercel.ts';
import type { VercelConfig } from './runtimes/vercel-routing.ts';
import { buildCase } from '../utils/case-site.ts';

const CONFIG = `import { defineConfig } from 'astro/config';
import vercel from '@astrojs/vercel';
import segments from 'astro-segments';

export default defineConfig({
  site: 'https://ledgerly.example',
  trailingSlash: 'always',
  security: { csp: true },
  adapter: vercel({ staticHeaders: true }),
  integrations: [
    segments({
      dimensions: {
        audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' }, relationship: true }, prospect: {} } },
      },
    }),
  ],
});
`;

let root: string;
let vercel: VercelRuntime;
let unrouted: VercelRuntime;
let manifest: Manifest;
let config: VercelConfig;

const get = (path: string, headers: Record<string, string> = {}) => getRequest('https://ledgerly.example', path, headers);

beforeAll(async () => {
  const built = await buildCase(
    'coexist-vercel',
    'vercel-adapter',
    { 'astro.config.mjs': CONFIG, 'src/pages/pricing.md': PRICING_MD, 'src/pages/index.md': '# Home\n' },
    { configFile: 'astro.config.mjs' },
  );
  if (built.error) throw built.error;
  root = built.root;
  const output = join(root, '.vercel/output');
  config = JSON.parse(await readFile(join(output, 'config.json'), 'utf8')) as VercelConfig;
  manifest = JSON.parse(await readFile(join(output, 'static/_segments/manifest.json'), 'utf8')) as Manifest;
  const outputs = { sites: { main: { root, dist: join(output, 'static') } } as never, warnings: [], remove: async () => {} };
  vercel = await startVercel({ outputs });
  // The same deployment without the router's route: what the public URL gets on its own.
  unrouted = await startVercel({ outputs, config: (c) => ({ ...c, routes: (c.routes ?? []).filter((r) => r.middlewarePath === undefined) }) });
}, 180_000);

afterAll(async () => {
  await vercel?.stop();
  await unrouted?.stop();
  if (root && !process.env.KEEP) await rm(root, { recursive: true, force: true });
});

describe('@astrojs/vercel with the router', () => {
  it("runs the middleware after the adapter's redirects and `continue` header routes, before its per-page header routes", () => {
    const routes = config.routes ?? [];
    const middleware = routes.findIndex((r) => r.middlewarePath === '_astro-segments');
    const before = routes.slice(0, middleware);
    // Trailing-slash redirects (status + Location) and the adapter's `continue` header routes come first.
    expect(before.some((r) => r.status === 308 && typeof (r.headers as Record<string, string>)?.Location === 'string')).toBe(true);
    expect(before.some((r) => String(r.src).startsWith('^/_astro'))).toBe(true);
    expect(before.every((r) => r.continue === true || r.status === 308 || r.src === '^/\\.well-known(?:/.*)?$')).toBe(true);
    expect(routes[0]).toMatchObject({ headers: { 'Cache-Control': 'public, max-age=31536000, immutable' }, continue: true });
    // The adapter's per-page header route (no `continue`, unanchored) follows; the page's variant
    // files get the same headers from a route of their own placed before it.
    const pricing = routes.find((r) => r.src === '/pricing')!;
    const hash = manifest.routes['/pricing']!.variants.customer!;
    expect(routes[middleware + 1]).toEqual({ src: `^/_segments/(?:${hash})\\.html$`, headers: pricing.headers });
    expect(routes.indexOf(pricing)).toBeGreaterThan(middleware + 1);
    expect(routes.findIndex((r) => r.handle === 'filesystem')).toBeGreaterThan(routes.indexOf(pricing));
    expect(routes.some((r) => 'override' in r)).toBe(false);
  });

  it('redirects /pricing to /pricing/ for a customer exactly as it does without the router', async () => {
    for (const runtime of [unrouted, vercel]) {
      const answer = await runtime.fetch(get('/pricing', { cookie: 'session=1' }));
      expect(answer.status).toBe(308);
      expect(answer.headers.get('location')).toBe('/pricing/');
      expect(answer.headers.getSetCookie()).toEqual([]);
    }
    // A choice on the unredirected form is not stored either: the redirect answers first.
    const moved = await vercel.fetch(get('/pricing?segment=customer'));
    expect([moved.status, moved.headers.getSetCookie()]).toEqual([308, []]);
    expect(moved.headers.get('location')).toMatch(/^\/pricing\/(?:\?segment=customer)?$/);
  });

  it("personalizes /pricing/ with private caching and the public URL's own headers", async () => {
    const plain = await unrouted.fetch(get('/pricing/'));
    const customer = await vercel.fetch(get('/pricing/', { cookie: 'session=1' }));
    expect(customer.status).toBe(200);
    expect(customer.body).toContain('Upgrade your plan.');
    expect(customer.headers.get('cache-control')).toBe('private, no-cache');
    // The per-route header the adapter writes for this page (its CSP) reaches the personalized response.
    const csp = plain.headers.get('content-security-policy');
    expect(csp).toBeTruthy();
    expect(customer.headers.get('content-security-policy')).toBe(csp);
    const chosen = await vercel.fetch(get('/pricing/?segment=customer'));
    expect(chosen.headers.get('cache-control')).toBe('private, no-store');
    expect(chosen.headers.getSetCookie()).toEqual(['__Host-segment=audience:customer; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure']);
  });

  it('marks exactly the variant files immutable, not the manifest', async () => {
    const hash = manifest.routes['/pricing']!.variants.customer!;
    const variant = await vercel.fetch(get(`/_segments/${hash}.html`));
    expect([variant.status, variant.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable']);
    const data = await vercel.fetch(get('/_segments/manifest.json'));
    expect([data.status, data.headers.get('cache-control')]).toEqual([200, 'public, max-age=0, must-revalidate']);
  });
});
