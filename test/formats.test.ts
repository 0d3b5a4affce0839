import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import node from '@astrojs/node';
import segments from 'astro-segments';
import { buildCase } from './utils/case-site.ts';
import { buildFixture, type BuiltFixture } from './utils/fixture.ts';

const dimensions = { audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' } }, prospect: {} } } };
const built: BuiltFixture[] = [];
const buildWith = async (config: Parameters<typeof buildFixture>[1], hosts?: ('netlify' | 'vercel' | 'cloudflare')[]) => {
  const site = await buildFixture('formats', { site: 'https://example.com', ...config, integrations: [segments({ dimensions, hosts })] });
  built.push(site);
  return site;
};
afterAll(() => Promise.all(built.map((site) => site.cleanup())));

/** The canonical link a variant file points to. */
const canonicalOf = (html: string) => /<link rel="canonical" href="([^"]*)">/.exec(html)?.[1];

describe('output layouts', () => {
  it('build.format "directory" with trailingSlash "always" (the default layout)', async () => {
    const site = await buildWith({ trailingSlash: 'always' });
    const manifest = await site.manifest();
    expect(Object.keys(manifest.routes).sort()).toEqual(['/', '/pricing']);
    const variant = await site.read(`_segments/${manifest.routes['/pricing']!.variants.customer}.html`);
    expect(canonicalOf(variant)).toBe('https://example.com/pricing/');
    expect(await site.read('pricing/index.html')).not.toContain('Upgrade.');
  });

  it('build.format "file" with trailingSlash "never"', async () => {
    const site = await buildWith({ build: { format: 'file' }, trailingSlash: 'never' });
    const manifest = await site.manifest();
    expect(Object.keys(manifest.routes).sort()).toEqual(['/', '/pricing']);
    expect(await site.read('pricing.html')).not.toContain('Upgrade.');
    const variant = await site.read(`_segments/${manifest.routes['/pricing']!.variants.customer}.html`);
    expect(canonicalOf(variant)).toBe('https://example.com/pricing');
    expect(variant).toContain('Upgrade.');
  });

  it('a base path prefixes routes, the variant prefix and canonical links', async () => {
    const site = await buildWith({ base: '/docs', trailingSlash: 'ignore' });
    const manifest = await site.manifest();
    expect(manifest.prefix).toBe('/docs/_segments/');
    expect(Object.keys(manifest.routes).sort()).toEqual(['/docs', '/docs/pricing']);
    const home = await site.read(`_segments/${manifest.routes['/docs']!.variants.customer}.html`);
    expect(canonicalOf(home)).toBe('https://example.com/docs/');
  });

  it('the dist/client directory an adapter uses', async () => {
    const site = await buildWith({ adapter: node({ mode: 'standalone' }) });
    const files = await site.files();
    expect(files).toContain('client/_segments/manifest.json');
    expect(files.some((file) => file.startsWith('_segments/'))).toBe(false);
    expect(files.filter((f) => f.startsWith('client/_segments/') && f.endsWith('.html'))).toHaveLength(2);
  });

  it('writes the Netlify, Vercel and Cloudflare outputs a static build deploys with', async () => {
    const site = await buildWith({}, ['netlify', 'vercel', 'cloudflare']);
    try {
      const netlify = await readFile(join(site.root, '.netlify/v1/edge-functions/astro-segments.js'), 'utf8');
      expect(netlify).toContain('onError');
      const vercel = JSON.parse(await readFile(join(site.root, '.vercel/output/config.json'), 'utf8'));
      expect(vercel.routes[1]).toMatchObject({ middlewarePath: '_astro-segments', continue: true });
      expect(existsSync(join(site.root, '.vercel/output/static/_segments/manifest.json'))).toBe(true);
      expect(vercel.routes[0]).toEqual({
        src: expect.stringMatching(/^\^\/_segments\/\(\?:[0-9a-z]{12}(\|[0-9a-z]{12})*\)\\\.html\$$/),
        headers: { 'Cache-Control': 'public, max-age=31536000, immutable' },
        continue: true,
      });
      // Each variant file by name, where Netlify (`.html`) and Cloudflare (without) serve it; never the folder.
      const rules = await site.read('_headers');
      expect(rules).toMatch(/^\/_segments\/[0-9a-z]{12}\.html\n {2}Cache-Control: public, max-age=31536000, immutable$/m);
      expect(rules).toMatch(/^\/_segments\/[0-9a-z]{12}\n {2}Cache-Control: public, max-age=31536000, immutable$/m);
      expect(rules).not.toContain('/_segments/*');
      const wrangler = JSON.parse(await site.read('_astro-segments/wrangler.json'));
      expect(wrangler.assets.run_worker_first).toEqual(['/', '/pricing/']);
    } finally {
      await rm(join(site.root, '.netlify'), { recursive: true, force: true });
      await rm(join(site.root, '.vercel'), { recursive: true, force: true });
    }
  });
});

describe('front matter formats', () => {
  it('a page with TOML front matter (+++), which Astro reads too, personalizes like one with YAML', async () => {
    const page = `+++\ntitle = "Plans"\n\n[segments]\ndimensions = ["audience"]\npurpose = "Show customers their plan"\nkpi = "Upgrades"\n+++\n\n# Plans\n\n:::segment{audience="customer"}\nYour plan renews in May.\n:::\n\nEveryone sees this.\n`;
    const { error, root } = await buildCase(
      'formats',
      'toml-front-matter',
      { 'src/pages/plans.md': page },
      { site: 'https://example.com', integrations: [segments({ dimensions })] },
    );
    expect(error).toBeUndefined();
    const read = (path: string) => readFile(join(root, 'dist', path), 'utf8');
    const manifest = JSON.parse(await read('_segments/manifest.json')) as { routes: Record<string, { variants: Record<string, string> }> };
    const publicPage = await read('plans/index.html');
    expect(publicPage).toContain('Everyone sees this.');
    expect(publicPage).not.toContain('renews in May');
    expect(await read(`_segments/${manifest.routes['/plans']!.variants.customer}.html`)).toContain('Your plan renews in May.');
  });
});

describe('a listing page', () => {
  it("renders personalized entries among others; an entry's title override changes its own page, never the listing's title", async () => {
    const post = (title: string, overrides: string, body: string) =>
      `---\ntitle: ${title}\nsegments:\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins\n${overrides}---\n\n${body}\n`;
    const files = {
      'src/content.config.ts': `import { defineCollection } from 'astro:content';\nimport { glob } from 'astro/loaders';\nimport { segmentsSchema } from 'astro-segments/schema';\nimport { z } from 'astro/zod';\nexport const collections = { blog: defineCollection({ loader: glob({ pattern: '*.md', base: './src/content/blog' }), schema: z.object({ title: z.string(), segments: segmentsSchema().optional() }) }) };\n`,
      // Sorted by title: the post without overrides comes first, as in the report of this mistake.
      'src/content/blog/a.md': post('A nested post', '', ':::segment{audience="customer"}\nMembers read on.\n:::'),
      'src/content/blog/b.md': post(
        'Welcome',
        '  overrides:\n    - when: { audience: customer }\n      title: Welcome back\n',
        ':::segment{audience="customer"}\nGood to see you.\n:::',
      ),
      'src/pages/blog/[slug].astro': `---\nimport { getCollection, render } from 'astro:content';\nexport async function getStaticPaths() {\n  return (await getCollection('blog')).map((entry) => ({ params: { slug: entry.id }, props: { entry } }));\n}\nconst { Content } = await render(Astro.props.entry);\n---\n<html><head><title>{Astro.props.entry.data.title}</title></head><body><Content /></body></html>\n`,
      'src/pages/index.astro': `---\nimport { getCollection, render } from 'astro:content';\nconst posts = (await getCollection('blog')).sort((a, b) => a.data.title.localeCompare(b.data.title));\nconst rendered = await Promise.all(posts.map(async (post) => ({ post, Content: (await render(post)).Content })));\n---\n<html><head><title>The blog</title></head><body>{rendered.map(({ post, Content }) => <article><h2>{post.data.title}</h2><Content /></article>)}</body></html>\n`,
    };
    const { error, root } = await buildCase('formats', 'listing-page', files, { site: 'https://example.com', integrations: [segments({ dimensions })] });
    expect(error).toBeUndefined();
    const read = (path: string) => readFile(join(root, 'dist', path), 'utf8');
    const manifest = JSON.parse(await read('_segments/manifest.json')) as { routes: Record<string, { variants: Record<string, string> }> };
    const listing = await read(`_segments/${manifest.routes['/']!.variants.customer}.html`);
    expect(listing).toContain('<title>The blog</title>');
    expect(listing).toContain('Good to see you.');
    expect(await read(`_segments/${manifest.routes['/blog/b']!.variants.customer}.html`)).toContain('<title>Welcome back</title>');
  });
});
