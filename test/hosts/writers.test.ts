/**
 * The host writers: where each output lands, what the host's configuration
 * says, how an adapter's own output is amended, and that generated code is a
 * single Web-standard file. (What the outputs *do* is the conformance suite.)
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Manifest } from '@astro-segments/edge';
import { afterEach, describe, expect, it } from 'vitest';
import { detectHost, writeHostOutputs, type HostName } from '../../packages/astro-segments/src/hosts/index.ts';
import { compatibilityDate, FALLBACK_COMPATIBILITY_DATE } from '../../packages/astro-segments/src/hosts/write-cloudflare.ts';
import { MANIFEST, SITE_DIR } from './cases.ts';

const REPO_ROOT = new URL('../../', import.meta.url);
const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A project with the test site built into `dist/` (or `dist/client/`, the @astrojs/cloudflare layout). */
async function project(outDir = 'dist') {
  const root = await mkdtemp(join(tmpdir(), 'segments-writers-'));
  temporary.push(root);
  await cp(SITE_DIR, join(root, outDir), { recursive: true });
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: '@acme/My Site!' }));
  const warnings: string[] = [];
  const infos: string[] = [];
  const write = (hosts: HostName[], options: { manifest?: Manifest; adapter?: string } = {}) =>
    writeHostOutputs(hosts, {
      root: pathToFileURL(`${root}/`),
      outDir: pathToFileURL(`${join(root, outDir)}/`),
      manifest: options.manifest ?? MANIFEST,
      adapter: options.adapter,
      logger: { info: (m) => void infos.push(m), warn: (m) => void warnings.push(m) },
    });
  const read = async (path: string) => readFile(join(root, path), 'utf8');
  const json = async (path: string) => JSON.parse(await read(path));
  return { root, dist: join(root, outDir), write, read, json, warnings, infos };
}

/** Generated code is one self-contained Web-standard module. */
function expectEdgeSafe(code: string) {
  expect(code).not.toMatch(/\bimport\s*[\s{*("']|\brequire\(/);
  expect(code).not.toMatch(/node:|process\.|\bconsole\b|\beval\(|new Function/);
  // The only outgoing calls are the host's own file APIs (context.next, env.ASSETS.fetch).
  expect(code).not.toMatch(/(?<![.\w])fetch\(/);
}

const NO_ROUTES: Manifest = { ...MANIFEST, routes: {} };

describe('detectHost', () => {
  it('maps the official adapters, including their older entry names', () => {
    expect(detectHost('@astrojs/netlify')).toBe('netlify');
    expect(detectHost('@astrojs/vercel')).toBe('vercel');
    expect(detectHost('@astrojs/vercel/serverless')).toBe('vercel');
    expect(detectHost('@astrojs/vercel/static')).toBe('vercel');
    expect(detectHost('@astrojs/cloudflare')).toBe('cloudflare');
  });
  it('knows no host for no adapter or another one', () => {
    expect(detectHost(undefined)).toBeUndefined();
    expect(detectHost('@astrojs/node')).toBeUndefined();
    expect(detectHost('@astrojs/netlify-fork')).toBeUndefined();
  });
});

describe('Netlify writer', () => {
  it('writes one edge function in the Frameworks API folder, declared for the personalized paths', async () => {
    const p = await project();
    await p.write(['netlify']);
    const file = join(p.root, '.netlify/v1/edge-functions/astro-segments.js');
    const code = await readFile(file, 'utf8');
    expectEdgeSafe(code);
    const module = await import(pathToFileURL(file).href);
    // Each page at the URL form its file is served at (`pricing/index.html`: `/pricing/`); the other form is Netlify's to redirect.
    expect(module.config).toEqual({ path: ['/', '/offers/', '/pricing/'], method: ['GET', 'HEAD'], onError: 'bypass' });
    expect(typeof module.default).toBe('function');
  });

  it("escapes URLPattern syntax and lists encoded forms, so Netlify's matcher sees the literal path", async () => {
    const p = await project();
    const manifest = { ...MANIFEST, routes: { '/c++/(beta)': MANIFEST.routes['/pricing']!, '/café': MANIFEST.routes['/pricing']! } };
    await p.write(['netlify'], { manifest });
    const { config } = await import(pathToFileURL(join(p.root, '.netlify/v1/edge-functions/astro-segments.js')).href);
    const matches = (pathname: string) => config.path.some((path: string) => new URLPattern({ pathname: path }).test({ pathname }));
    expect(matches('/c++/(beta)')).toBe(true);
    expect(matches('/c++/(beta)/')).toBe(true);
    expect(matches('/caf%C3%A9/')).toBe(true);
    expect(matches('/c/(beta)')).toBe(false);
    expect(matches('/c++/beta')).toBe(false);
  });

  it('removes the function when no page is personalized', async () => {
    const p = await project();
    await p.write(['netlify']);
    await p.write(['netlify'], { manifest: NO_ROUTES });
    expect(existsSync(join(p.root, '.netlify/v1/edge-functions/astro-segments.js'))).toBe(false);
    expect(p.infos.at(-1)).toMatch(/not needed/);
  });
});

describe('Vercel writer', () => {
  // Variant files are content-addressed: cacheable forever, whatever serves them. Named one by one
  // (the build drops the missing dead0beef0), so the manifest beside them is not.
  const cacheRoute = {
    src: '^/_segments/(?:a0a0a0a0|c0ffee01|e0e0e0e0|h0me0ce0|h0me0co0|h0me0pe0|pa2tner01)\\.html$',
    headers: { 'Cache-Control': 'public, max-age=31536000, immutable' },
    continue: true,
  };
  const middlewareRoute = {
    src: '^(?:/|/offers|/offers/|/pricing|/pricing/)$',
    middlewarePath: '_astro-segments',
    middlewareRawSrc: ['/', '/offers', '/pricing'],
    continue: true,
  };

  it('without an adapter, writes a complete static Build Output: variant headers, middleware, filesystem', async () => {
    const p = await project();
    await mkdir(join(p.root, '.vercel/output/static'), { recursive: true });
    await writeFile(join(p.root, '.vercel/output/static/stale.html'), 'from an earlier build');
    await p.write(['cloudflare', 'vercel']);
    expect(await p.json('.vercel/output/config.json')).toEqual({
      version: 3,
      routes: [cacheRoute, middlewareRoute, { handle: 'filesystem' }, { src: '/.*', dest: '/404.html', status: 404 }],
    });
    expect(await p.json('.vercel/output/functions/_astro-segments.func/.vc-config.json')).toEqual({ runtime: 'edge', entrypoint: 'index.mjs' });
    expectEdgeSafe(await p.read('.vercel/output/functions/_astro-segments.func/index.mjs'));
    expect(await p.read('.vercel/output/static/pricing/index.html')).toContain('marker:pricing-default');
    expect(await p.read('.vercel/output/static/_segments/c0ffee01.html')).toContain('marker:pricing-customer');
    expect(existsSync(join(p.root, '.vercel/output/static/stale.html'))).toBe(false);
    // Another host's files are not published: its Worker, nor the files it reads as configuration
    // (Vercel would serve them; `_headers` names every variant file).
    expect(existsSync(join(p.root, '.vercel/output/static/_astro-segments'))).toBe(false);
    expect(existsSync(join(p.root, 'dist/_headers'))).toBe(true);
    expect(existsSync(join(p.root, '.vercel/output/static/_headers'))).toBe(false);
    expect(existsSync(join(p.root, '.vercel/output/static/.assetsignore'))).toBe(false);
  });

  it('with @astrojs/vercel, amends its config.json (its redirects and header routes before the middleware, its settings kept) and leaves static/ to it', async () => {
    const p = await project();
    // What @astrojs/vercel writes with trailingSlash: 'always' (@vercel/routing-utils' convertTrailingSlash).
    const redirects = [
      { src: '^/\\.well-known(?:/.*)?$' },
      { src: '^/((?:[^/]+/)*[^/\\.]+)$', headers: { Location: '/$1/' }, status: 308 },
      { src: '^/((?:[^/]+/)*[^/]+\\.\\w+)/$', headers: { Location: '/$1' }, status: 308 },
    ];
    const assets = { src: '^/_astro/(.*)$', headers: { 'cache-control': 'public, max-age=31536000, immutable' }, continue: true };
    const adapterConfig = {
      version: 3,
      routes: [...redirects, assets, { handle: 'filesystem' }, { src: '/.*', dest: '/404.html', status: 404 }],
      images: { sizes: [640], domains: [] },
    };
    await mkdir(join(p.root, '.vercel/output/static'), { recursive: true });
    await writeFile(join(p.root, '.vercel/output/config.json'), JSON.stringify(adapterConfig));
    await p.write(['vercel'], { adapter: '@astrojs/vercel' });
    await p.write(['vercel'], { adapter: '@astrojs/vercel' });
    expect(await p.json('.vercel/output/config.json')).toEqual({
      ...adapterConfig,
      routes: [cacheRoute, ...redirects, assets, middlewareRoute, { handle: 'filesystem' }, { src: '/.*', dest: '/404.html', status: 404 }],
    });
    expect(existsSync(join(p.root, '.vercel/output/static/pricing'))).toBe(false);
    expect(existsSync(join(p.root, '.vercel/output/functions/_astro-segments.func/index.mjs'))).toBe(true);
  });

  it("without being told the adapter, recognises the adapter's fresh config.json", async () => {
    const p = await project();
    await mkdir(join(p.root, '.vercel/output'), { recursive: true });
    await writeFile(join(p.root, '.vercel/output/config.json'), JSON.stringify({ version: 3, routes: [{ handle: 'filesystem' }] }));
    await p.write(['vercel']);
    expect((await p.json('.vercel/output/config.json')).routes).toEqual([cacheRoute, middlewareRoute, { handle: 'filesystem' }]);
    expect(existsSync(join(p.root, '.vercel/output/static'))).toBe(false);
  });

  it("gives each page's variant files the headers its public URL gets from a header route that ends routing, never its caching", async () => {
    const p = await project();
    // @astrojs/vercel's staticHeaders: one route per page, no `continue`, unanchored `src`.
    const csp = (page: string) => ({
      src: page,
      headers: { 'content-security-policy': `script-src 'self' '${page}'`, 'Cache-Control': 'public, max-age=600' },
    });
    const adapterConfig = { version: 3, routes: [csp('/pricing'), csp('/offers'), csp('/'), { handle: 'filesystem' }] };
    await mkdir(join(p.root, '.vercel/output'), { recursive: true });
    await writeFile(join(p.root, '.vercel/output/config.json'), JSON.stringify(adapterConfig));
    await p.write(['vercel'], { adapter: '@astrojs/vercel' });
    const twin = (hashes: string, page: string) => ({
      src: `^/_segments/(?:${hashes})\\.html$`,
      headers: { 'content-security-policy': `script-src 'self' '${page}'` },
    });
    expect((await p.json('.vercel/output/config.json')).routes).toEqual([
      cacheRoute,
      middlewareRoute,
      // Each page's variant files get what its public URL matches first ('/pricing' does not match '/').
      twin('h0me0ce0|h0me0co0|h0me0pe0', '/'),
      twin('a0a0a0a0|e0e0e0e0', '/offers'),
      twin('c0ffee01|pa2tner01', '/pricing'),
      ...adapterConfig.routes,
    ]);
  });

  it('drops variants whose file is missing, since a rewrite cannot fall back', async () => {
    const p = await project();
    await p.write(['vercel']);
    const code = await p.read('.vercel/output/functions/_astro-segments.func/index.mjs');
    expect(code).toContain('c0ffee01');
    expect(code).not.toContain('dead0beef0');
    expect(p.warnings).toEqual([expect.stringMatching(/^\/pricing: the variant "press" names .*dead0beef0\.html, which is not in the build output/)]);
  });

  it('removes its own output when no page is personalized, so a stale one cannot deploy', async () => {
    const p = await project();
    await p.write(['vercel']);
    await p.write(['vercel'], { manifest: NO_ROUTES });
    expect(existsSync(join(p.root, '.vercel/output'))).toBe(false);
  });

  it("takes only its route out of the adapter's config when no page is personalized", async () => {
    const p = await project();
    await mkdir(join(p.root, '.vercel/output'), { recursive: true });
    await writeFile(join(p.root, '.vercel/output/config.json'), JSON.stringify({ version: 3, routes: [middlewareRoute, { handle: 'filesystem' }] }));
    await p.write(['vercel'], { manifest: NO_ROUTES, adapter: '@astrojs/vercel' });
    expect(await p.json('.vercel/output/config.json')).toEqual({ version: 3, routes: [{ handle: 'filesystem' }] });
  });
});

describe('_headers (Netlify and Cloudflare)', () => {
  const HASHES = ['a0a0a0a0', 'c0ffee01', 'dead0beef0', 'e0e0e0e0', 'h0me0ce0', 'h0me0co0', 'h0me0pe0', 'pa2tner01'];
  const rule = (path: string) => `${path}\n  Cache-Control: public, max-age=31536000, immutable`;

  it("marks exactly the content-hashed variant files immutable, at the path each host serves them, keeping the site's rules", async () => {
    const p = await project();
    await writeFile(join(p.dist, '_headers'), '/*\n  X-Frame-Options: DENY');
    await p.write(['netlify']);
    await p.write(['netlify', 'cloudflare']);
    const text = await p.read('dist/_headers');
    expect(text.startsWith('/*\n  X-Frame-Options: DENY\n# astro-segments:')).toBe(true);
    // Netlify serves `<hash>.html`; Cloudflare's assets serve it at `<hash>`.
    for (const hash of HASHES) {
      expect(text).toContain(rule(`/_segments/${hash}.html`));
      expect(text).toContain(rule(`/_segments/${hash}`));
    }
    // Once per build: the block of the first build was replaced.
    expect(text.match(/Cache-Control/g)).toHaveLength(2 * HASHES.length);
    // Never the folder (so never manifest.json) nor any other file.
    expect(text).not.toMatch(/^\/_segments\/(?:\*|manifest)/m);
    await p.write(['netlify']);
    expect((await p.read('dist/_headers')).match(/Cache-Control/g)).toHaveLength(HASHES.length);
  });

  it("says when Cloudflare's 100 rules cannot name every variant file", async () => {
    const p = await project();
    const routes = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [`/page${i}`, { dims: ['audience'], variants: { customer: `f${String(i).padStart(7, '0')}` } }]),
    );
    await p.write(['cloudflare'], { manifest: { ...MANIFEST, routes } as Manifest });
    expect(p.warnings.at(-1)).toMatch(/_headers holds 122 rules.*Cloudflare applies the first 100/s);
    await p.write(['netlify'], { manifest: { ...MANIFEST, routes } as Manifest });
    expect(p.warnings.filter((w) => w.includes('_headers'))).toHaveLength(1);
  });
});

describe('Cloudflare writer', () => {
  it('runs the router on the URL form each page is served at, under a base too: /x for x.html, /x/ for x/index.html, both when unknown', async () => {
    const p = await project();
    await rename(join(p.dist, 'pricing/index.html'), join(p.dist, 'pricing.html'));
    const route = MANIFEST.routes['/pricing']!;
    const routes = { '/docs-site': route, '/docs-site/gone': route, '/docs-site/offers': route, '/docs-site/pricing': route };
    await p.write(['cloudflare'], { manifest: { ...MANIFEST, prefix: '/docs-site/_segments/', routes } });
    expect((await p.json('dist/_astro-segments/wrangler.json')).assets.run_worker_first).toEqual([
      '/docs-site/',
      '/docs-site/gone',
      '/docs-site/gone/',
      '/docs-site/offers/',
      '/docs-site/pricing',
    ]);
  });

  it('writes a Worker and a wrangler.json inside the site, kept out of the uploaded assets', async () => {
    const p = await project();
    await writeFile(join(p.dist, '.assetsignore'), 'drafts/');
    await p.write(['cloudflare']);
    await p.write(['cloudflare']);
    expect(await p.json('dist/_astro-segments/wrangler.json')).toEqual({
      name: 'my-site',
      main: './worker.js',
      compatibility_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      assets: {
        directory: '..',
        binding: 'ASSETS',
        run_worker_first: ['/', '/offers/', '/pricing/'],
        not_found_handling: '404-page',
      },
    });
    expectEdgeSafe(await p.read('dist/_astro-segments/worker.js'));
    expect(await p.read('dist/.assetsignore')).toBe('drafts/\n/_astro-segments/\n');
    expect(p.infos).toContain('Cloudflare Worker: dist/_astro-segments (deploy with `wrangler deploy --config dist/_astro-segments/wrangler.json`)');
  });

  it('works the same in the @astrojs/cloudflare layout (dist/client)', async () => {
    const p = await project('dist/client');
    await p.write(['cloudflare']);
    const wrangler = await p.json('dist/client/_astro-segments/wrangler.json');
    expect(join(p.root, 'dist/client/_astro-segments', wrangler.assets.directory)).toBe(join(p.root, 'dist/client'));
    expect(existsSync(join(p.root, 'dist/client/_astro-segments/worker.js'))).toBe(true);
  });

  it('uses a compatibility date no newer than the installed workerd, nor than today', async () => {
    const miniflare = createRequire(import.meta.url).resolve('miniflare/package.json');
    const installed = JSON.parse(await readFile(createRequire(miniflare).resolve('workerd/package.json'), 'utf8')).version as string;
    const [, ymd] = installed.split('.');
    const workerd = `${ymd!.slice(0, 4)}-${ymd!.slice(4, 6)}-${ymd!.slice(6, 8)}`;
    expect(compatibilityDate(REPO_ROOT, new Date('2099-01-01'))).toBe(workerd);
    expect(compatibilityDate(REPO_ROOT, new Date('2026-01-02'))).toBe('2026-01-02');
    const bare = await mkdtemp(join(tmpdir(), 'segments-no-workerd-'));
    temporary.push(bare);
    expect(compatibilityDate(pathToFileURL(`${bare}/`), new Date('2099-01-01'))).toBe(FALLBACK_COMPATIBILITY_DATE);
    expect(FALLBACK_COMPATIBILITY_DATE <= workerd).toBe(true);
  });

  it('removes the Worker when no page is personalized', async () => {
    const p = await project();
    await p.write(['cloudflare']);
    await p.write(['cloudflare'], { manifest: NO_ROUTES });
    expect(existsSync(join(p.dist, '_astro-segments'))).toBe(false);
  });
});

describe('all hosts', () => {
  it('log where each output went', async () => {
    const p = await project();
    await p.write(['netlify', 'vercel', 'cloudflare']);
    expect(p.infos).toEqual([
      'Netlify edge function: .netlify/v1/edge-functions/astro-segments.js',
      'Vercel routing middleware: .vercel/output/functions/_astro-segments.func',
      'Cloudflare Worker: dist/_astro-segments (deploy with `wrangler deploy --config dist/_astro-segments/wrangler.json`)',
    ]);
  });
});
