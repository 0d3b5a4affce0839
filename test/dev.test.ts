/**
 * `astro dev` shows variants live: a real dev server (the `astro dev` CLI)
 * on 127.0.0.1, requested over HTTP, sliced per request by the same code as
 * the build and decided by the same router core.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAstroDev, type RunningServer } from './utils/astro-dev.ts';
import { FIXTURES } from './utils/fixture.ts';
import { writeCase } from './utils/case-site.ts';

const root = join(FIXTURES, 'dev-site');
let server: RunningServer;
let origin: string;

beforeAll(async () => {
  server = await startAstroDev(root, { path: '/about/', expect: 'Not personalized.' });
  origin = server.origin;
});

afterAll(async () => {
  await server?.stop();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${origin}${path}`, { headers });
  return { response, body: await response.text() };
};
const main = (body: string) => /<h1[\s\S]*$/.exec(body)?.[0] ?? '';

describe('astro dev', () => {
  it('serves the default variant, with no markers and no cookie', async () => {
    const { response, body } = await get('/pricing/');
    expect(main(body)).toContain('Prices in dollars.');
    expect(body).not.toMatch(/Prices in euros|Your plan|Spring offer|<astro-segment|data-when/);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-segments')).toBe('audience=prospect (default); region=other (default); campaign=none (default)');
  });

  it('switches with the production ?segment= syntax, and sets the same cookie', async () => {
    const { response, body } = await get('/pricing/?segment=customer');
    expect(main(body)).toContain('Your plan: Starter.');
    expect(response.headers.get('set-cookie')).toBe('segment=audience:customer; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax');
    const followed = await get('/pricing/', { cookie: 'segment=audience:customer' });
    expect(main(followed.body)).toContain('Your plan: Starter.');
  });

  it('follows rules on real signals: a campaign parameter, a site login cookie', async () => {
    expect(main((await get('/pricing/?utm_campaign=spring')).body)).toContain('Spring offer');
    expect(main((await get('/pricing/', { cookie: 'session=1' })).body)).toContain('Your plan: Starter.');
  });

  it('simulates country, referrer and GPC with query parameters', async () => {
    const eu = await get('/pricing/?segment-country=DE');
    expect(main(eu.body)).toContain('Prices in euros.');
    expect(eu.response.headers.get('x-segments')).toContain('region=eu (rule 1)');
    expect(main((await get('/pricing/?segment-referrer=www.producthunt.com')).body)).toContain('Spring offer');
    const gpc = await get('/pricing/?segment-country=DE&utm_campaign=spring&segment-gpc=1');
    expect(main(gpc.body)).toContain('Prices in dollars.');
    expect(main(gpc.body)).not.toContain('Spring offer');
  });

  it('applies the holdout as deployed: the control group gets nothing inferred, a new visitor is drawn once', async () => {
    const control = await get('/pricing/?utm_campaign=spring', { cookie: 'consent=1; segment_group=control' });
    expect(main(control.body)).not.toContain('Spring offer');
    expect(control.response.headers.get('x-segments')).toContain('campaign=none (holdout)');
    expect(control.response.headers.get('set-cookie')).toBeNull();
    expect(main((await get('/pricing/?utm_campaign=spring', { cookie: 'consent=1; segment_group=treatment' })).body)).toContain('Spring offer');
    const drawn = await get('/pricing/?utm_campaign=spring', { cookie: 'consent=1' });
    const group = /^segment_group=(control|treatment); Path=\/; Max-Age=7776000; SameSite=Lax$/.exec(drawn.response.headers.get('set-cookie') ?? '')?.[1];
    expect(group).toBeDefined();
    expect(main(drawn.body).includes('Spring offer')).toBe(group === 'treatment');
  });

  it('leaves pages that are not personalized, and assets, alone', async () => {
    const about = await get('/about/');
    expect(about.response.headers.get('x-segments')).toBeNull();
    expect(about.body).toContain('Not personalized.');
    const client = await get('/@vite/client');
    expect(client.response.status).toBe(200);
    expect(client.response.headers.get('content-type')).toMatch(/javascript/);
  });

  it('shows a page whose personalization is broken as an error with the fix', async () => {
    const { response, body } = await get('/broken/');
    expect(response.status).toBe(500);
    expect(body).toContain('does not declare that it varies on it');
    // The fix as the page shows it: the message's text, escaped for HTML.
    expect(body).toContain('<strong>Fix:</strong> Add &quot;region&quot; to the page&#39;s segments.dimensions');
  });

  it('picks up edits without a restart', async () => {
    const file = join(root, 'src/pages/pricing.md');
    const original = await readFile(file, 'utf8');
    try {
      await writeFile(file, original.replace('Your plan: Starter.', 'Your plan: Growth.'));
      let body = '';
      for (let attempt = 0; attempt < 50 && !body.includes('Growth'); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        body = (await get('/pricing/?segment-preview=customer')).body;
      }
      expect(main(body)).toContain('Your plan: Growth.');
    } finally {
      await writeFile(file, original);
    }
  });
});

describe('astro dev under a base with trailingSlash: always', () => {
  let site: RunningServer;
  beforeAll(async () => {
    // The dev-site fixture again, under /blog, where Astro's dev server answers a path without a trailing slash with a 404.
    const config = (await readFile(join(root, 'astro.config.mjs'), 'utf8')).replace('defineConfig({', "defineConfig({ base: '/blog', trailingSlash: 'always',");
    const caseRoot = await writeCase('dev-site', 'base-always', {
      'astro.config.mjs': config,
      'package.json': await readFile(join(root, 'package.json'), 'utf8'),
      'src/pages/about.md': await readFile(join(root, 'src/pages/about.md'), 'utf8'),
      'src/pages/pricing.md': await readFile(join(root, 'src/pages/pricing.md'), 'utf8'),
    });
    site = await startAstroDev(caseRoot, { path: '/blog/about/', expect: 'Not personalized.' });
  });
  afterAll(async () => {
    await site?.stop();
  });

  it('personalizes under the base, and the toolbar links to a build report route Astro lets through', async () => {
    const page = await (await fetch(`${site.origin}/blog/pricing/?segment=customer`)).text();
    expect(page).toContain('Your plan: Starter.');
    const report = /"report":"([^"]+)"/.exec(page)?.[1];
    expect(report).toBe('/blog/_astro-segments/report.html');
    const served = await fetch(`${site.origin}${report}`);
    expect(served.status).toBe(200);
    expect(await served.text()).toMatch(/build report/i);
  });
});
