/**
 * Adapter features that cache on-demand pages by URL, with personalized
 * on-demand pages (hosts/url-caches.ts says which is which, and why):
 * - @astrojs/netlify `cacheOnDemandPages` works safely: the built SSR function
 *   marks a personalized response private and gives it no CDN header;
 * - @astrojs/vercel `isr` fails the build, naming each page it would cache and
 *   the option, unless the page is excluded, and leaves nothing deployable;
 * - Astro's route cache (`cache.provider`) works safely: the on-demand middleware
 *   turns it off for a personalized response (its storing in memory: test/ssr.test.ts).
 * Sites built by real Astro with the adapters the coexistence fixtures install.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCase } from '../utils/case-site.ts';

const SEGMENTS = `segments({ dimensions: { audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' }, relationship: true }, prospect: {} } } } })`;

const PAGES = {
  'src/pages/index.md': '# Home\n',
  // Personalized on demand: reads the visitor's audience.
  'src/pages/account.astro': '---\nexport const prerender = false;\n---\n<p>audience:{Astro.locals.segments?.audience}</p>\n',
  // On demand, not personalized.
  'src/pages/blog/[slug].astro': '---\nexport const prerender = false;\n---\n<p>post:{Astro.params.slug}</p>\n',
};

const config = (imports: string, adapter: string, extra = '') => `import { defineConfig } from 'astro/config';
${imports}
import segments from 'astro-segments';
export default defineConfig({
  ${extra}
  adapter: ${adapter},
  integrations: [${SEGMENTS}],
});
`;

/** Every file under a folder (none when it does not exist). */
const files = async (dir: string) => (existsSync(dir) ? (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()) : []);

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function site(fixture: string, name: string, astroConfig: string) {
  const built = await buildCase(fixture, name, { ...PAGES, 'astro.config.mjs': astroConfig }, { configFile: 'astro.config.mjs' });
  roots.push(built.root);
  return built;
}

/**
 * Netlify's Functions runtime cannot run here: call the built SSR function as it does, with
 * the part of its context the site reads (Netlify Functions API: handler(request, context)).
 * Checks that the personalized page is private with none of `headers`, for a customer and a
 * prospect, and returns the response of a page that is not personalized.
 */
async function netlifyResponses(root: string, headers: readonly string[]): Promise<Response> {
  const { default: handler } = (await import(pathToFileURL(join(root, '.netlify/v1/functions/ssr/ssr.mjs')).href)) as {
    default: (request: Request, context: object) => Promise<Response>;
  };
  const context = { ip: '127.0.0.1', geo: {} };
  for (const cookie of ['session=1', '']) {
    const response = await handler(new Request('https://site.test/account', { headers: cookie ? { cookie } : {} }), context);
    expect(await response.text()).toContain(cookie ? 'audience:customer' : 'audience:prospect');
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    for (const name of headers) expect(response.headers.has(name), name).toBe(false);
  }
  return handler(new Request('https://site.test/blog/hello'), context);
}

describe("@astrojs/netlify's cacheOnDemandPages", () => {
  it('works safely: a personalized response is private with no CDN header, the others are cached as configured', async () => {
    const { error, root } = await site(
      'coexist-netlify',
      'cache-on-demand',
      config("import netlify from '@astrojs/netlify';", 'netlify({ cacheOnDemandPages: true })'),
    );
    expect(error).toBeUndefined();
    const post = await netlifyResponses(root, ['cdn-cache-control', 'netlify-cdn-cache-control']);
    expect(post.headers.get('cdn-cache-control')).toBe('public, max-age=31536000, must-revalidate');
  }, 180_000);
});

describe("@astrojs/vercel's isr", () => {
  it('fails the build, naming every on-demand page it would cache and the option, and leaves nothing deployable', async () => {
    const { error, root } = await site('coexist-vercel', 'isr-on', config("import vercel from '@astrojs/vercel';", 'vercel({ isr: true })'));
    expect(error?.message).toMatch(/@astrojs\/vercel's `isr` option caches these on-demand pages by URL/);
    expect(error?.message).toContain('- /account (src/pages/account.astro)');
    expect(error?.message).toContain('- /blog/[slug] (src/pages/blog/[slug].astro)');
    expect((error as { hint?: string })?.hint).toMatch(/isr: \{ exclude: \[\.\.\.\] \}/);
    expect(existsSync(join(root, '.vercel/output'))).toBe(false);
    expect(await files(join(root, 'dist'))).toEqual([]);
  }, 180_000);

  it('names only the pages ISR still covers once the personalized one is excluded', async () => {
    const { error } = await site(
      'coexist-vercel',
      'isr-exclude',
      config("import vercel from '@astrojs/vercel';", "vercel({ isr: { exclude: ['/account'] } })"),
    );
    expect(error?.message).toContain('- /blog/[slug]');
    expect(error?.message).not.toContain('/account');
  }, 180_000);

  it('builds when every on-demand page is excluded', async () => {
    const { error, root } = await site(
      'coexist-vercel',
      'isr-none',
      config("import vercel from '@astrojs/vercel';", "vercel({ isr: { exclude: ['/account', /^\\/blog\\//] } })"),
    );
    expect(error).toBeUndefined();
    expect(existsSync(join(root, '.vercel/output/config.json'))).toBe(true);
  }, 180_000);
});

describe("Astro's route cache", () => {
  it("works safely with Netlify's provider: a personalized response gets none of its CDN headers, the others do", async () => {
    const astroConfig = config(
      "import netlify from '@astrojs/netlify';\nimport { cacheNetlify } from '@astrojs/netlify/cache';",
      'netlify()',
      "cache: { provider: cacheNetlify() }, routeRules: { '/account': { maxAge: 600 }, '/blog/[slug]': { maxAge: 600 } },",
    );
    const { error, root } = await site('coexist-netlify', 'route-cache', astroConfig);
    expect(error).toBeUndefined();
    const post = await netlifyResponses(root, ['cdn-cache-control', 'netlify-cdn-cache-control', 'netlify-cache-tag']);
    expect(post.headers.get('netlify-cdn-cache-control')).toMatch(/max-age=600/);
  }, 180_000);
});
