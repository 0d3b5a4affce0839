/**
 * The host writers: where each output lands, what the host's configuration
 * says, how an adapter's own output is amended, and that generated code is a
 * single Web-standard file. (What the outputs *do* is the conformance suite.)
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
    expect(module.config).toEqual({ path: ['/', '/offers', '/offers/', '/pricing', '/pricing/'], onError: 'bypass' });
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
  // Variant files are content-addressed: cacheable forever, whatever serves them.
  const cacheRoute = { src: '^\\/_segments\\/[a-z0-9]+\\.html$', headers: { 'Cache-Control': 'public, max-age=31536000, immutable' }, continue: true };
  const middlewareRoute = {
    src: '^(?:/|/offers|/offers/|/pricing|/pricing/)$',
    middlewarePath: '_astro-segments',
    middlewareRawSrc: ['/', '/offers', '/pricing'],
    continue: true,
    override: true,
  };

  it('without an adapter, writes a complete static Build Output with the middleware first', async () => {
    const p = await project();
    await mkdir(join(p.root, '.vercel/output/static'), { recursive: true });
    await writeFile(join(p.root, '.vercel/output/static/stale.html'), 'from an earlier build');
    await p.write(['cloudflare', 'vercel']);
    expect(await p.json('.vercel/output/config.json')).toEqual({
      version: 3,
      routes: [middlewareRoute, cacheRoute, { handle: 'filesystem' }, { src: '/.*', dest: '/404.html', status: 404 }],
    });
    expect(await p.json('.vercel/output/functions/_astro-segments.func/.vc-config.json')).toEqual({ runtime: 'edge', entrypoint: 'index.mjs' });
    expectEdgeSafe(await p.read('.vercel/output/functions/_astro-segments.func/index.mjs'));
    expect(await p.read('.vercel/output/static/pricing/index.html')).toContain('marker:pricing-default');
    expect(await p.read('.vercel/output/static/_segments/c0ffee01.html')).toContain('marker:pricing-customer');
    expect(existsSync(join(p.root, '.vercel/output/static/stale.html'))).toBe(false);
    // Another host's files are not published.
    expect(existsSync(join(p.root, '.vercel/output/static/_astro-segments'))).toBe(false);
  });

  it('with @astrojs/vercel, amends its config.json (middleware first, its routes and settings kept) and leaves static/ to it', async () => {
    const p = await project();
    const adapterConfig = {
      version: 3,
      routes: [
        { src: '^/_astro/(.*)$', headers: { 'cache-control': 'public, max-age=31536000, immutable' }, continue: true },
        { handle: 'filesystem' },
        { src: '/.*', dest: '/404.html', status: 404 },
      ],
      images: { sizes: [640], domains: [] },
    };
    await mkdir(join(p.root, '.vercel/output/static'), { recursive: true });
    await writeFile(join(p.root, '.vercel/output/config.json'), JSON.stringify(adapterConfig));
    await p.write(['vercel'], { adapter: '@astrojs/vercel' });
    await p.write(['vercel'], { adapter: '@astrojs/vercel' });
    expect(await p.json('.vercel/output/config.json')).toEqual({ ...adapterConfig, routes: [middlewareRoute, cacheRoute, ...adapterConfig.routes] });
    expect(existsSync(join(p.root, '.vercel/output/static/pricing'))).toBe(false);
    expect(existsSync(join(p.root, '.vercel/output/functions/_astro-segments.func/index.mjs'))).toBe(true);
  });

  it("without being told the adapter, recognises the adapter's fresh config.json", async () => {
    const p = await project();
    await mkdir(join(p.root, '.vercel/output'), { recursive: true });
    await writeFile(join(p.root, '.vercel/output/config.json'), JSON.stringify({ version: 3, routes: [{ handle: 'filesystem' }] }));
    await p.write(['vercel']);
    expect((await p.json('.vercel/output/config.json')).routes).toEqual([middlewareRoute, cacheRoute, { handle: 'filesystem' }]);
    expect(existsSync(join(p.root, '.vercel/output/static'))).toBe(false);
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

describe('Cloudflare writer', () => {
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
        run_worker_first: ['/', '/offers', '/offers/', '/pricing', '/pricing/'],
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
