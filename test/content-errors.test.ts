/**
 * Every path that renders Markdown through Astro's content layer fails the
 * build on a segment mistake, located in the file (line and column of the
 * file, not of the body after the front matter), with the fix: `render(entry)`
 * of a glob-loader collection, MDX entries, loaders that call
 * `renderMarkdown`, Starlight's docs collection. Astro's glob loader only logs
 * render errors, so without this the build would exit 0 with an empty page.
 *
 * And a failed build never leaves a deployable output: whatever fails after
 * Astro started writing pages, no file of the output holds a marker, and no
 * manifest or host output is left behind.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'astro';
import { describe, expect, it } from 'vitest';
import segments from 'astro-segments';
import { buildCase, errorText } from './utils/case-site.ts';
import { FIXTURES } from './utils/fixture.ts';

const dimensions = {
  audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' }, relationship: true }, prospect: {} } },
};
const declaration = 'segments:\n  dimensions: [audience]\n  purpose: Show customers their import steps\n  kpi: Imports started';

/** Front matter of 11 lines and two paragraphs, so a block on line 17 of the file is on line 5 of the body Astro renders. */
const entry = (body: string) =>
  `---\ntitle: Getting started\ndescription: First steps.\n${declaration}\nsidebar:\n  order: 1\n  label: Start\n---\n\nWelcome.\n\nRead on.\n\n${body}\n`;

/** The same entry with TOML front matter (`+++`, which Astro reads too): a block on line 15 of the file. */
const tomlEntry = (body: string) =>
  `+++\ntitle = "Getting started"\ndescription = "First steps."\n\n[segments]\ndimensions = ["audience"]\npurpose = "Show customers their import steps"\nkpi = "Imports started"\n+++\n\nWelcome.\n\nRead on.\n\n${body}\n`;

const collectionSite = (files: Record<string, string>, loader = "glob({ pattern: '**/*.{md,mdx}', base: './src/content/docs' })") => ({
  'src/content.config.ts': `import { defineCollection } from 'astro:content';\nimport { glob } from 'astro/loaders';\nexport const collections = { docs: defineCollection({ loader: ${loader} }) };\n`,
  'src/pages/[...slug].astro': `---\nimport { getCollection, render } from 'astro:content';\nexport async function getStaticPaths() {\n  return (await getCollection('docs')).map((entry) => ({ params: { slug: entry.id }, props: { entry } }));\n}\nconst { Content } = await render(Astro.props.entry);\n---\n<html><head><title>{Astro.props.entry.data.title}</title></head><body><main><Content /></main></body></html>\n`,
  ...files,
});

/** Build a case site that must fail; the error's message and hint, without the machine's paths. */
async function failure(fixture: string, name: string, files: Record<string, string>, integrations: unknown[] = [segments({ dimensions })]) {
  const { error, root } = await buildCase(fixture, name, files, { integrations: integrations as never });
  expect(error, `${name} must fail the build`).toBeDefined();
  await expectNothingDeployable(root);
  return { text: errorText(error as never, root), root };
}

/** No file of the output holds a marker, and no manifest or host output remains. */
async function expectNothingDeployable(root: string): Promise<void> {
  expect(existsSync(join(root, '.netlify/v1/edge-functions/astro-segments.js')), 'Netlify edge function').toBe(false);
  const dist = join(root, 'dist');
  if (!existsSync(dist)) return;
  for (const file of (await readdir(dist, { recursive: true })).map(String)) {
    expect(file).not.toMatch(/_segments|_astro-segments/);
    if (/\.(html|xml|json|txt)$/.test(file)) expect(await readFile(join(dist, file), 'utf8'), file).not.toMatch(/<astro-segment/);
  }
}

/** An endpoint that renders src/pages/a.astro whole and publishes `body` (an expression of `html`). */
const endpoint = (body: string) =>
  `import { experimental_AstroContainer } from 'astro/container';\nimport Page from './a.astro';\nexport async function GET() { const container = await experimental_AstroContainer.create(); const html = await container.renderToString(Page); return new Response(${body}); }\n`;

describe('content collections fail the build like pages do', () => {
  it('a misspelled dimension in a glob-loader entry, located in the file', async () => {
    const { text } = await failure(
      'errors',
      'collection-typo',
      collectionSite({ 'src/content/docs/getting-started.md': entry(':::segment{regoin="uk"}\nUK only.\n:::') }),
    );
    expect(text).toContain('src/content/docs/getting-started.md:17:1');
    expect(text).toContain('"regoin"');
    expect(text).toMatchSnapshot();
  });

  it('fails again on the next build, although Astro keeps the failed entry in its content cache', async () => {
    const { root } = await failure(
      'errors',
      'collection-rebuild',
      collectionSite({ 'src/content/docs/getting-started.md': entry(':::segment{regoin="uk"}\nUK only.\n:::') }),
    );
    const again = build({ root, configFile: false, logLevel: 'silent', integrations: [segments({ dimensions })] });
    await expect(again).rejects.toMatchObject({ loc: { file: join(root, 'src/content/docs/getting-started.md'), line: 17, column: 1 } });
    await expectNothingDeployable(root);
  });

  it("a misspelled dimension in an entry's declaration, with segmentsSchema() in the collection's schema, located at its key", async () => {
    const schema = `import { defineCollection } from 'astro:content';\nimport { glob } from 'astro/loaders';\nimport { z } from 'astro/zod';\nimport { segmentsSchema } from 'astro-segments/schema';\nexport const collections = { docs: defineCollection({ loader: glob({ pattern: '**/*.md', base: './src/content/docs' }), schema: z.object({ title: z.string(), segments: segmentsSchema().optional() }).passthrough() }) };\n`;
    const { text } = await failure(
      'errors',
      'collection-schema-typo',
      collectionSite({
        'src/content.config.ts': schema,
        'src/content/docs/getting-started.md': entry(':::segment{audience="customer"}\nHi.\n:::').replace('dimensions: [audience]', 'dimensions: [audiance]'),
      }),
    );
    // Before Astro's schema check, which knows no line (it reported the entry at 0:0).
    expect(text).toContain('src/content/docs/getting-started.md:5');
    expect(text).toContain('"audiance"');
    expect(text).toMatchSnapshot();
  });

  it('a value the dimension does not declare', async () => {
    const { text } = await failure(
      'errors',
      'collection-value',
      collectionSite({ 'src/content/docs/getting-started.md': entry(':::segment{audience="vip"}\nVIP.\n:::') }),
    );
    expect(text).toContain('src/content/docs/getting-started.md:17:1');
    expect(text).toMatchSnapshot();
  });

  it('the last block left unclosed', async () => {
    const { text } = await failure(
      'errors',
      'collection-unclosed',
      collectionSite({ 'src/content/docs/getting-started.md': entry(':::segment{audience="customer"}\nCustomers only.') }),
    );
    expect(text).toContain('src/content/docs/getting-started.md:17:1');
    expect(text).toContain('never closed');
  });

  it('an unclosed block in the middle says which line opened it', async () => {
    const body = ':::segment{audience="customer"}\nCustomers.\n\n:::segment{otherwise}\nEveryone else.\n:::\n\nMore for everyone.';
    const { text } = await failure('errors', 'collection-unclosed-middle', collectionSite({ 'src/content/docs/getting-started.md': entry(body) }));
    expect(text).toContain(
      'src/content/docs/getting-started.md:17:1\nThe :::segment block opened on line 17 is not closed before the next :::segment block on line 20',
    );
  });

  it('an MDX entry', async () => {
    const { text } = await failure(
      'errors',
      'collection-mdx',
      collectionSite({ 'src/content/docs/getting-started.mdx': entry(':::segment{regoin="uk"}\nUK only.\n:::') }),
      [(await import('@astrojs/mdx')).default(), segments({ dimensions })],
    );
    expect(text).toContain('src/content/docs/getting-started.mdx:17:1');
    expect(text).toContain('"regoin"');
  });

  it('a loader that calls renderMarkdown', async () => {
    const loader = `{ name: 'inline', load: async ({ store, renderMarkdown }) => { store.set({ id: 'intro', data: { title: 'Intro' }, rendered: await renderMarkdown('Hi.\\n\\n:::segment{regoin="uk"}\\nUK.\\n:::\\n') }); } }`;
    const { text } = await failure('errors', 'collection-render-markdown', collectionSite({}, loader));
    expect(text).toContain('"regoin"');
  });

  it('a Starlight docs page', async () => {
    // Starlight is the fixture's dependency, not the workspace's: load the fixture's copy.
    const starlight = (await import(pathToFileURL(join(FIXTURES, 'coexist-starlight/node_modules/@astrojs/starlight/dist/index.js')).href)).default;
    const files = {
      'src/content.config.ts': `import { defineCollection } from 'astro:content';\nimport { docsLoader } from '@astrojs/starlight/loaders';\nimport { docsSchema } from '@astrojs/starlight/schema';\nexport const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };\n`,
      'src/content/docs/index.md': '---\ntitle: Home\n---\n\nHello.\n',
      'src/content/docs/getting-started.md': entry(':::segment{regoin="uk"}\nUK only.\n:::'),
    };
    const { text } = await failure('coexist-starlight', 'starlight-typo', files, [starlight({ title: 'Docs', pagefind: false }), segments({ dimensions })]);
    expect(text).toContain('src/content/docs/getting-started.md:17:1');
  });

  it('an entry with TOML front matter (+++), located in the file', async () => {
    const { text } = await failure(
      'errors',
      'collection-toml',
      collectionSite({ 'src/content/docs/getting-started.md': tomlEntry(':::segment{regoin="uk"}\nUK only.\n:::') }),
    );
    expect(text).toContain('src/content/docs/getting-started.md:15:1');
    expect(text).toContain('"regoin"');
  });

  it('TOML front matter naming an undeclared dimension, located at its key', async () => {
    const page = tomlEntry(':::segment{audience="customer"}\nCustomers.\n:::').replace('dimensions = ["audience"]', 'dimensions = ["audiance"]');
    const { text } = await failure('errors', 'page-toml-declaration', { 'src/pages/a.md': page });
    expect(text).toContain('src/pages/a.md:6');
    expect(text).toContain('segments.dimensions lists "audiance"');
  });

  it('an entry with TOML front matter that declares segments but that no page shows', async () => {
    const files = collectionSite({ 'src/content/docs/getting-started.md': tomlEntry(':::segment{audience="customer"}\nCustomers.\n:::') });
    files['src/pages/[...slug].astro'] = '---\nexport function getStaticPaths() { return [{ params: { slug: "about" } }]; }\n---\n<p>About</p>\n';
    const { text } = await failure('errors', 'collection-toml-unshown', files);
    expect(text).toContain('src/content/docs/getting-started.md declares segments in the front matter, but no page of the build shows it personalized');
  });

  it('an entry in a .mkd file (an extension Astro renders as Markdown) that declares segments but that no page shows', async () => {
    const files = collectionSite(
      { 'src/content/docs/getting-started.mkd': entry(':::segment{audience="customer"}\nCustomers.\n:::') },
      "glob({ pattern: '**/*.mkd', base: './src/content/docs' })",
    );
    files['src/pages/[...slug].astro'] = '---\nexport function getStaticPaths() { return [{ params: { slug: "about" } }]; }\n---\n<p>About</p>\n';
    const { text } = await failure('errors', 'collection-mkd-unshown', files);
    expect(text).toContain('src/content/docs/getting-started.mkd declares segments in the front matter, but no page of the build shows it personalized');
  });

  it('a Markdoc entry (.mdoc) with a block, which Markdoc would print as text for everyone', async () => {
    const markdoc = '---\ntitle: Start\n---\n\nWelcome.\n\n:::segment{audience="customer"}\nCustomers only.\n:::\n';
    const { text } = await failure(
      'errors',
      'markdoc-block',
      collectionSite({ 'src/content/docs/start.md': entry('Hi.'), 'src/content/docs/start-here.mdoc': markdoc }),
    );
    expect(text).toContain('src/content/docs/start-here.mdoc:7');
    expect(text).toContain('A Markdoc file holds a :::segment block');
    expect(text).toMatchSnapshot();
  });

  it('a Markdoc entry (.mdoc) that declares segments, at its key', async () => {
    const { text } = await failure('errors', 'markdoc-declaration', collectionSite({ 'src/content/docs/start.mdoc': entry('Hi.') }));
    expect(text).toContain('src/content/docs/start.mdoc:4');
    expect(text).toContain('A Markdoc file declares segments');
  });

  it('an entry that declares segments but that no page shows', async () => {
    const files = collectionSite({ 'src/content/docs/getting-started.md': entry(':::segment{audience="customer"}\nCustomers.\n:::') });
    files['src/pages/[...slug].astro'] = '---\nexport function getStaticPaths() { return [{ params: { slug: "about" } }]; }\n---\n<p>About</p>\n';
    const { text } = await failure('errors', 'collection-unshown', files);
    expect(text).toContain('src/content/docs/getting-started.md declares segments in the front matter, but no page of the build shows it personalized');
  });
});

describe('a failed build leaves nothing deployable', () => {
  const personalizedPage = `---\n${declaration}\n---\n\n:::segment{audience="customer"}\nCustomer text.\n:::\n`;

  it('a <SegmentPage> without kpi', async () => {
    const { text } = await failure(
      'errors',
      'cleanup-segment-page',
      {
        'src/pages/a.md': personalizedPage,
        'src/pages/z.astro': `---\nimport { SegmentPage, Segment } from 'astro-segments/components';\n---\n<html><body><SegmentPage dimensions={['audience']} purpose="p" /><Segment audience="customer">x</Segment></body></html>\n`,
      },
      [segments({ dimensions, hosts: ['netlify'] })],
    );
    expect(text).toContain('kpi');
  });

  it('a page that throws while it is prerendered, after personalized pages were written', async () => {
    const { text } = await failure(
      'errors',
      'cleanup-page-throws',
      {
        'src/pages/a.md': personalizedPage,
        'src/pages/z.astro': `---\nthrow new Error('the page broke');\n---\n`,
      },
      [segments({ dimensions, hosts: ['netlify'] })],
    );
    expect(text).toContain('the page broke');
  });

  it('an endpoint that throws', async () => {
    const { text } = await failure(
      'errors',
      'cleanup-endpoint-throws',
      {
        'src/pages/a.md': personalizedPage,
        'src/pages/z.json.ts': `export function GET() { throw new Error('the feed broke'); }\n`,
      },
      [segments({ dimensions, hosts: ['netlify'] })],
    );
    expect(text).toContain('the feed broke');
  });

  it('a check of the integration after every page was written (a page over its variant budget)', async () => {
    const region = { default: 'other', values: { eu: { when: { country: ['de'] } }, us: { when: { country: ['us'] } }, other: {} } };
    const page = `---\nsegments:\n  dimensions: [region]\n  purpose: Prices in the local currency\n  kpi: Sign-ups\n---\n\n:::segment{region="eu"}\nEUR.\n:::\n\n:::segment{region="us"}\nUSD.\n:::\n`;
    const { text } = await failure('errors', 'cleanup-budget', { 'src/pages/a.md': personalizedPage, 'src/pages/b.md': page }, [
      segments({ dimensions: { ...dimensions, region }, hosts: ['netlify'], budget: { perPage: 1 } }),
    ]);
    expect(text).toContain('per-page budget');
  });

  it('a table of contents the build cannot prune, linking to a heading only another version shows', async () => {
    const site = collectionSite({ 'src/content/docs/getting-started.md': entry(':::segment{audience="customer"}\n## Your discount code\n\nSAVE20.\n:::') });
    // The headings as bare links, not list items: the public page would name the customer's section.
    site['src/pages/[...slug].astro'] = site['src/pages/[...slug].astro']!.replace('const { Content } =', 'const { Content, headings } =').replace(
      '<main>',
      '<nav>{headings.map((h) => <a href={"#" + h.slug}>{h.text}</a>)}</nav><main>',
    );
    const { text } = await failure('errors', 'unprunable-toc', site);
    // The page that renders the table of contents, where the fix goes.
    expect(text).toContain('src/pages/[...slug].astro');
    expect(text).toContain('#your-discount-code');
    expect(text).toContain('<li><a href="#id">');
    expect(text).toMatchSnapshot();
  });

  it('an endpoint that publishes a personalized page with every version in it', async () => {
    const { text } = await failure(
      'errors',
      'cleanup-published-markers',
      {
        'src/pages/a.astro': `---\nimport { SegmentPage, Segment } from 'astro-segments/components';\n---\n<html><body><SegmentPage dimensions={['audience']} purpose="p" kpi="k" /><Segment audience="customer">x</Segment></body></html>\n`,
        'src/pages/dump.json.ts': endpoint('JSON.stringify({ html })'),
        // Any name an endpoint may publish under: the check reads every file that is not binary.
        'src/pages/dump.ndjson.ts': endpoint('JSON.stringify({ html }) + "\\n"'),
        'src/pages/data.jsonld.ts': endpoint('JSON.stringify({ "@type": "Article", text: html }).replaceAll("<", "\\\\u003c")'),
        'src/pages/feed.rss.ts': endpoint('"<rss><item><description>" + html.replaceAll("<", "&lt;") + "</description></item></rss>"'),
      },
      [segments({ dimensions, hosts: ['netlify'] })],
    );
    for (const file of ['dump.json', 'dump.ndjson', 'data.jsonld', 'feed.rss']) expect(text).toContain(file);
  });
});
