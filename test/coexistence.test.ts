/**
 * astro-segments next to the rest of the Astro ecosystem: one real fixture site
 * per combination, each built once by real Astro into its own outDir. Every case
 * checks both halves: the variants are sliced, AND the other feature still does
 * its job.
 *
 * - @astrojs/mdx: the `basic` fixture (compiler.test.ts) already builds `.mdx`
 *   pages with @astrojs/mdx; only that reference is guarded here.
 * - trailingSlash / build.format / base / dist/client: formats.test.ts.
 * - Starlight (search, tables of contents, feeds, both integration orders): starlight.test.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '@astro-segments/edge';
import { buildFixture, FIXTURES, fixtureAt, type BuiltFixture } from './utils/fixture.ts';

const run = promisify(execFile);
const built: BuiltFixture[] = [];
const generated: string[] = [];
afterAll(async () => {
  await Promise.all(built.map((site) => site.cleanup()));
  await Promise.all(generated.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function buildOnce(name: string): Promise<BuiltFixture> {
  const site = await buildFixture(name);
  built.push(site);
  generated.push(join(site.root, '.astro-segments'));
  return site;
}

/** The public file and every variant file of a route, read from a directory holding `_segments/`. */
async function variantsIn(dir: string, route: string): Promise<{ manifest: Manifest; default: string; customer: string }> {
  const manifest = JSON.parse(await readFile(join(dir, '_segments/manifest.json'), 'utf8')) as Manifest;
  const hash = manifest.routes[route]?.variants.customer;
  if (!hash) throw new Error(`${route} has no customer variant in ${relative(FIXTURES, dir)}`);
  return {
    manifest,
    default: await readFile(join(dir, route.slice(1), 'index.html'), 'utf8'),
    customer: await readFile(join(dir, `_segments/${hash}.html`), 'utf8'),
  };
}

/** The pricing page every adapter fixture shares, sliced into its two audiences. */
function expectPricingSliced(pages: { readonly default?: string | undefined; readonly customer?: string | undefined }): void {
  expect(pages.default).toContain('Start your free trial.');
  expect(pages.default).not.toContain('Upgrade your plan.');
  expect(pages.customer).toContain('Upgrade your plan.');
  expect(pages.customer).not.toContain('Start your free trial.');
  expect(pages.customer).toContain('<meta name="robots" content="noindex">');
}

describe('@astrojs/mdx', () => {
  it('is covered by the basic fixture, which compiler.test.ts builds with @astrojs/mdx and an .mdx page', async () => {
    expect(await readFile(join(FIXTURES, 'basic/astro.config.mjs'), 'utf8')).toMatch(/integrations: \[mdx\(\), segments\(/);
    expect(existsSync(join(FIXTURES, 'basic/src/pages/story.mdx'))).toBe(true);
  });
});

describe('content collections with segmentsSchema()', () => {
  let site: BuiltFixture;
  beforeAll(async () => {
    site = await buildOnce('coexist-collections');
  });

  it('slices a collection entry rendered with <Content />, head override included', async () => {
    const { customer, default: standard } = await site.variants('/docs/invoices');
    expect(standard).toContain('First, create an account.');
    expect(standard).not.toContain('Invoices</strong>');
    expect(standard).toContain('<title>Sending invoices</title>');
    expect(customer).toContain('Open <strong>Invoices</strong> and press <em>New</em>.');
    expect(customer).not.toContain('First, create an account.');
    expect(customer).toContain('<title>Send an invoice</title>');
  });

  it('hands the schema-validated segments data to the page (entry.data.segments)', async () => {
    const { customer, default: standard } = await site.variants('/docs/invoices');
    for (const html of [standard, customer]) expect(html).toContain('data-kpi="Time to first invoice" data-dimensions="audience"');
    // An entry without segments passes the optional schema and stays untouched.
    expect(Object.keys((await site.manifest()).routes).sort()).toEqual(['/docs/invoices', '/notes/release']);
    expect(await site.read('docs/faq/index.html')).toContain('<footer data-dimensions data-unknown="undefined"></footer>');
  });

  it('slices an entry a loader rendered with renderMarkdown, and its feed publishes the default version', async () => {
    const { customer, default: standard } = await site.variants('/notes/release');
    expect(customer).toContain('Your invoices move to the new editor on Monday.');
    expect(customer).not.toContain('Start a trial');
    expect(standard).toContain('Start a trial to try the new editor.');
    expect(standard).not.toContain('new editor on Monday');
    const feed = await site.read('notes.json');
    expect(feed).toContain('Start a trial to try the new editor.');
    expect(feed).not.toMatch(/new editor on Monday|astro-segment|Release notes read|Tell customers/);
  });

  it('passes `astro check`: the segments fields are typed, and an unknown key is a type error', async () => {
    // ~30 s on two cores (TypeScript language service start-up). The fixture pins
    // @emnapi/runtime 1.11.3: left to pnpm, the peer of @astrojs/check's WASM
    // compiler resolves to a 2.0 beta that crashes against @emnapi/core 1.x.
    const astro = join(FIXTURES, 'coexist-collections/node_modules/astro/bin/astro.mjs');
    const { stdout } = await run(process.execPath, [astro, 'check'], { cwd: join(FIXTURES, 'coexist-collections'), env: { ...process.env, CI: 'true' } });
    expect(stdout).toMatch(/- 0 errors/);
    expect(stdout).toMatch(/- 0 warnings/);
  }, 180_000);
});

describe('i18n routing', () => {
  let site: BuiltFixture;
  beforeAll(async () => {
    site = await buildOnce('coexist-i18n');
  });

  it('personalizes the same page in both locales, each variant pointing at its own public URL', async () => {
    const manifest = await site.manifest();
    expect(Object.keys(manifest.routes).sort()).toEqual(['/fr/pricing', '/pricing']);
    const en = await site.variants('/pricing');
    const fr = await site.variants('/fr/pricing');
    expect(en.customer).toContain('Upgrade your plan.');
    expect(en.default).toContain('Start your free trial.');
    expect(fr.customer).toContain('Changez de formule.');
    expect(fr.customer).toContain('<title>Votre formule</title>');
    expect(fr.default).toContain('Commencez votre essai gratuit.');
    expect(fr.customer).toContain('<link rel="canonical" href="https://ledgerly.example/fr/pricing/">');
    expect(en.customer).toContain('<link rel="canonical" href="https://ledgerly.example/pricing/">');
  });

  it("keeps Astro's locale in every variant: lang and getRelativeLocaleUrl links", async () => {
    const en = await site.variants('/pricing');
    const fr = await site.variants('/fr/pricing');
    for (const html of Object.values(en)) expect(html).toMatch(/<html[^>]* lang="en".*<a hreflang="fr" href="\/fr\/pricing\/">/s);
    for (const html of Object.values(fr)) expect(html).toMatch(/<html[^>]* lang="fr".*<a hreflang="en" href="\/pricing\/">/s);
  });
});

describe('host adapters installed (static output)', () => {
  it('@astrojs/netlify: the edge function lands in .netlify/v1/edge-functions/ beside the adapter output', async () => {
    const site = await buildOnce('coexist-netlify');
    const netlify = join(site.root, '.netlify');
    generated.push(netlify);
    expectPricingSliced(await variantsIn(site.outDir, '/pricing'));
    const edge = await readFile(join(netlify, 'v1/edge-functions/astro-segments.js'), 'utf8');
    expect(edge).toContain('onError:"bypass"');
    expect(edge).toMatch(/path:\["\/pricing\/"\]/);
    // The adapter's own output is intact: its SSR function, its middleware and its config.
    expect(existsSync(join(netlify, 'v1/functions/ssr/ssr.mjs'))).toBe(true);
    expect(existsSync(join(netlify, 'v1/edge-functions/middleware'))).toBe(true);
    expect(JSON.parse(await readFile(join(netlify, 'v1/config.json'), 'utf8')).headers).toEqual(
      expect.arrayContaining([expect.objectContaining({ for: '/_astro/*' })]),
    );
    // Only the content-hashed variant files are immutable, never the folder (manifest.json).
    const rules = await site.read('_headers');
    expect(rules).toMatch(/^\/_segments\/[0-9a-z]{12}\.html\n {2}Cache-Control: public, max-age=31536000, immutable$/m);
    expect(rules).not.toContain('/_segments/*');
  });

  it("@astrojs/vercel: the routing middleware runs after the variant files' and the adapter's header routes, the adapter copies the variants to static/", async () => {
    const site = await buildOnce('coexist-vercel');
    const output = join(site.root, '.vercel/output');
    generated.push(join(site.root, '.vercel'));
    const { manifest, ...pages } = await variantsIn(join(output, 'static'), '/pricing');
    expectPricingSliced(pages);
    expect(manifest.routes['/pricing']!.variants.customer).toBe((await site.manifest()).routes['/pricing']!.variants.customer);
    const config = JSON.parse(await readFile(join(output, 'config.json'), 'utf8')) as { routes: Record<string, unknown>[] };
    // The variant files' header route first, the adapter's header route, then the middleware, then the filesystem.
    const index = (match: (route: Record<string, unknown>) => boolean) => config.routes.findIndex(match);
    const middleware = index((route) => route.middlewarePath === '_astro-segments');
    expect(config.routes[middleware]).toMatchObject({ continue: true });
    expect(index((route) => String(route.src).startsWith('^/_segments/(?:'))).toBe(0);
    expect(index((route) => route.src === '^/_astro(?:/(.*))$')).toBeLessThan(middleware);
    expect(index((route) => route.handle === 'filesystem')).toBeGreaterThan(middleware);
    expect(JSON.parse(await readFile(join(output, 'functions/_astro-segments.func/.vc-config.json'), 'utf8'))).toMatchObject({ runtime: 'edge' });
  });

  it('@astrojs/cloudflare: variants and the Worker go to dist/client/, next to the adapter files', async () => {
    const site = await buildOnce('coexist-cloudflare');
    generated.push(join(site.root, '.wrangler'));
    const client = join(site.outDir, 'client');
    expectPricingSliced(await variantsIn(client, '/pricing'));
    expect(await site.files()).not.toContain('_segments/manifest.json');
    const wrangler = JSON.parse(await readFile(join(client, '_astro-segments/wrangler.json'), 'utf8'));
    expect(wrangler).toMatchObject({ main: './worker.js', assets: { directory: '..', binding: 'ASSETS' } });
    expect(wrangler.assets.run_worker_first).toEqual(['/pricing/']);
    expect(existsSync(join(client, '_astro-segments/worker.js'))).toBe(true);
    // The adapter's wrangler.json and _headers rule survive; ours are added beside them.
    expect(existsSync(join(client, 'wrangler.json'))).toBe(true);
    const headers = await readFile(join(client, '_headers'), 'utf8');
    expect(headers).toContain('/_astro/*');
    // Each variant file at the path Cloudflare's assets serve it (no .html).
    expect(headers).toMatch(/^\/_segments\/[0-9a-z]{12}\n {2}Cache-Control: public, max-age=31536000, immutable$/m);
    expect((await readFile(join(client, '.assetsignore'), 'utf8')).split('\n')).toEqual(expect.arrayContaining(['wrangler.json', '/_astro-segments/']));
  });
});

describe("the oldest Astro in the peer range (astro@7.2.10, the first with Sätteri's plugin API)", () => {
  const root = join(FIXTURES, 'oldest-astro');
  // pnpm injects a copy of astro-segments (dependenciesMeta.injected) so that its
  // `astro` peer resolves to this fixture's old one.
  const injected = realpathSync(join(root, 'node_modules/astro-segments'));
  beforeAll(async () => {
    // The copy is taken at install time (hard links, which an editor that replaces
    // files breaks). Refresh what changed since, as `pnpm install` would, so this
    // always builds the current sources. In CI's fresh install it copies nothing.
    const source = join(FIXTURES, '../../packages/astro-segments/src');
    for (const entry of readdirSync(source, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = join(entry.parentPath, entry.name);
      const copy = join(injected, 'src', relative(source, file));
      if (existsSync(copy) && readFileSync(copy, 'utf8') === readFileSync(file, 'utf8')) continue;
      await rm(copy, { force: true });
      await mkdir(dirname(copy), { recursive: true });
      await copyFile(file, copy);
    }
  });
  const versionOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;

  it('runs the integration against astro 7.2.10, the lowest version of its peer range', () => {
    expect(versionOf(join(root, 'node_modules/astro'))).toBe('7.2.10');
    expect(versionOf(join(injected, '../astro'))).toBe('7.2.10');
    const peer = (
      JSON.parse(readFileSync(join(FIXTURES, '../../packages/astro-segments/package.json'), 'utf8')) as { peerDependencies: Record<string, string> }
    ).peerDependencies;
    expect(peer.astro).toBe('^7.2.10');
  });

  it('builds with its own astro CLI and slices Markdown blocks and <Segment> components', async () => {
    const outDir = await mkdtemp(join(root, '.out-'));
    generated.push(outDir, join(root, '.astro-segments'));
    await run(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', outDir, '--silent'], {
      cwd: root,
      env: { ...process.env, CI: 'true' },
    });
    const site = fixtureAt(root, outDir);
    expect(Object.keys((await site.manifest()).routes).sort()).toEqual(['/docs/setup', '/pricing', '/welcome']);
    expectPricingSliced(await site.variants('/pricing'));
    const welcome = await site.variants('/welcome');
    expect(welcome.customer).toContain('<a href="/app">Open your dashboard</a>');
    expect(welcome.customer).not.toContain('/trial');
    expect(welcome.default).toContain('<a href="/trial">Start a free trial</a>');
    expect(welcome.default).not.toContain('astro-segment');
    // A content-collection entry, on the Sätteri of that Astro.
    const setup = await site.variants('/docs/setup');
    expect(setup.customer).toContain('Customers import their books.');
    expect(setup.default).toContain('Prospects start a trial.');
    expect(setup.default).not.toContain('Customers import');
  }, 180_000);
});
