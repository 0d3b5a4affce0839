/**
 * What a user sees in the terminal when `astro build` meets a mistake: the real
 * CLI on a real site (not the programmatic API), its output with colours,
 * times and the machine's path removed. Every error of ours must read as one
 * of Astro's own: `[Name] message`, the hint, and the location in the user's
 * file — not "An unhandled error occurred while running the … hook", not a
 * stack trace, never a place inside this package or node_modules.
 */
import { stripVTControlCharacters } from 'node:util';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './utils/fixture.ts';
import { writeCase } from './utils/case-site.ts';

const ASTRO = join(FIXTURES, 'errors', 'node_modules', 'astro', 'bin', 'astro.mjs');

const DIMENSIONS = `{
        audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' } }, prospect: {} } },
      }`;

const config = (options: string) => `import { defineConfig } from 'astro/config';
import segments from 'astro-segments';

export default defineConfig({
  integrations: [
    segments({
${options}
    }),
  ],
});
`;

const personalized = (frontmatter: string) => `---\n${frontmatter}\n---\n\n:::segment{audience="customer"}\nWelcome back.\n:::\n`;

/** Run `astro build` in the site; stdout and stderr as one text, in order. */
function astroBuild(root: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ASTRO, 'build'], {
      cwd: root,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The error part of the output, as it reads on any machine on any day. */
function shown(output: string, root: string): string {
  const text = stripVTControlCharacters(output)
    .replaceAll(root, '<site>')
    .replace(/\d{2}:\d{2}:\d{2} /g, '')
    .replace(/\d+(\.\d+)?m?s\b/g, 'N ms');
  const start = text.search(/^.*(\[ERROR\]|\[astro\] |\[Segments\w+\])/m);
  return text.slice(Math.max(0, start)).trim();
}

async function failure(name: string, files: Record<string, string>) {
  const root = await writeCase('errors', `cli-${name}`, files);
  const { code, output } = await astroBuild(root);
  const text = shown(output, root);
  expect(code, output).toBe(1);
  expect(text).not.toContain('An unhandled error occurred');
  expect(text).not.toContain('Stack trace');
  expect(text).not.toMatch(/node_modules|packages\/astro-segments/);
  return text;
}

describe('astro build prints our errors as Astro prints its own', () => {
  it('option mistakes: the allowed values, the likely one, each key located in astro.config.mjs', async () => {
    const text = await failure('options', {
      'astro.config.mjs': config(`      hosts: ['cloudfare'],\n      cookies: { name: 'seen' },\n      dimensions: ${DIMENSIONS},`),
      'src/pages/index.md': '# Hi\n',
    });
    expect(text).toContain('Location:\n    <site>/astro.config.mjs:7:7');
    expect(text).toMatchSnapshot();
  });

  it('a front matter mistake found before rendering (a page without a purpose)', async () => {
    const text = await failure('no-purpose', {
      'astro.config.mjs': config(`      dimensions: ${DIMENSIONS},`),
      'src/pages/index.md': personalized('segments:\n  dimensions: [audience]\n  kpi: Logins'),
    });
    expect(text).toContain('Location:\n    <site>/src/pages/index.md:2');
    expect(text).toMatchSnapshot();
  });

  it('a mistake found while slicing the built page (a block on a dimension the page does not declare)', async () => {
    const text = await failure('slicing', {
      'astro.config.mjs': config(
        `      dimensions: { ...${DIMENSIONS}, region: { default: 'other', values: { eu: { when: { country: 'DE' } }, other: {} } } },`,
      ),
      'src/pages/index.astro': `---\nimport { Segment, SegmentPage } from 'astro-segments/components';\n---\n<html><head><title>Hi</title></head><body><SegmentPage dimensions={['audience']} purpose="Greet customers" kpi="Logins" />\n<Segment region="eu">EU</Segment></body></html>\n`,
    });
    expect(text).toContain('Location:\n    <site>/src/pages/index.astro');
    expect(text).toMatchSnapshot();
  });

  it('a component mistake while the page renders (<Segment otherwise> with a condition)', async () => {
    const text = await failure('component', {
      'astro.config.mjs': config(`      dimensions: ${DIMENSIONS},`),
      'src/pages/index.astro': `---\nimport { Segment, SegmentPage } from 'astro-segments/components';\n---\n<html><head><title>Hi</title></head><body><SegmentPage dimensions={['audience']} purpose="Greet customers" kpi="Logins" />\n<Segment audience="customer">Hi</Segment><Segment otherwise audience="prospect">Welcome</Segment></body></html>\n`,
    });
    expect(text).toContain('Location:\n    src/pages/index.astro');
    expect(text).toMatchSnapshot();
  });

  it('an option found too tight during the build (the site budget), located at the segments() call', async () => {
    const text = await failure('site-budget', {
      'astro.config.mjs': config(`      dimensions: ${DIMENSIONS},\n      budget: { perSite: 1 },`),
      'src/pages/a.md': personalized('segments:\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins'),
      'src/pages/b.md': personalized('segments:\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins'),
    });
    expect(text).toContain('Location:\n    <site>/astro.config.mjs:6:5');
    expect(text).toMatchSnapshot();
  });

  it('a block mistake in a Markdown page, located at the block', async () => {
    const text = await failure('markdown-block', {
      'astro.config.mjs': config(`      dimensions: ${DIMENSIONS},`),
      'src/pages/index.md': personalized('segments:\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins').replace(
        'audience="customer"',
        'audeince="customer"',
      ),
    });
    expect(text).toContain('Location:\n    <site>/src/pages/index.md:8:1');
    expect(text).not.toContain('Build failed with');
    expect(text).toMatchSnapshot();
  });

  it('a block mistake in a content-collection entry, located in the entry (not an empty page and exit 0)', async () => {
    const text = await failure('collection-block', {
      'astro.config.mjs': config(`      dimensions: ${DIMENSIONS},`),
      'src/content.config.ts': `import { defineCollection } from 'astro:content';\nimport { glob } from 'astro/loaders';\nexport const collections = { docs: defineCollection({ loader: glob({ pattern: '*.md', base: './src/content/docs' }) }) };\n`,
      'src/content/docs/intro.md': personalized('title: Intro\nsegments:\n  dimensions: [audience]\n  purpose: Greet customers\n  kpi: Logins').replace(
        'audience="customer"',
        'audience="vip"',
      ),
      'src/pages/[id].astro': `---\nimport { getCollection, render } from 'astro:content';\nexport async function getStaticPaths() { return (await getCollection('docs')).map((entry) => ({ params: { id: entry.id }, props: { entry } })); }\nconst { Content } = await render(Astro.props.entry);\n---\n<html><body><Content /></body></html>\n`,
    });
    expect(text).toContain('Location:\n    <site>/src/content/docs/intro.md:9:1');
    expect(text).toMatchSnapshot();
  });
});
