/**
 * A newcomer follows the README's Quick start word for word: in an existing
 * Astro site outside the workspace, the code blocks of that section are applied
 * literally, read from README.md on every run, so the test breaks when the
 * README drifts:
 *
 * - a block titled with a file path is written to that file;
 * - each line of a block titled "in your site" is run there with `sh`, except
 *   the server, which is started and stopped by the test (with `--port 0`
 *   added, so parallel runs never collide, and its `npx` resolved to the
 *   site's bin, so the stop reaches it);
 * - the block titled "in ../astro-segments" is the repository's own set-up
 *   command plus `pack:packages`: the test does not reinstall the workspace it
 *   runs in, it checks the block names that script and puts the tarballs that
 *   script makes (the run's shared packed set) where the block leaves them.
 *
 * Then the served variants are checked over HTTP against the page the README
 * shows, and the build against the README's promises: no warning, absolute
 * canonical links, the title override applied.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedPackages } from '../../scripts/pack-packages.ts';
import { spawnServer, type RunningServer } from '../utils/astro-dev.ts';
import { ASTRO_ADD, createSite, run, userEnv } from './site.ts';

interface CodeBlock {
  readonly lang: string;
  readonly title: string | undefined;
  readonly code: string;
}

const README = new URL('../../README.md', import.meta.url);
const ROOT_PACKAGE = new URL('../../package.json', import.meta.url);

/** The fenced code blocks of the README's "Quick start" section, in order. */
async function quickStart(): Promise<{ text: string; blocks: CodeBlock[] }> {
  const readme = await readFile(README, 'utf8');
  const start = readme.indexOf('\n## Quick start');
  if (start < 0) throw new Error('README.md has no "## Quick start" section');
  const end = readme.indexOf('\n## ', start + 1);
  const text = readme.slice(start, end < 0 ? undefined : end);
  const blocks = [...text.matchAll(/^```(\w+)(?: title="([^"]+)")?\n([\s\S]*?)^```$/gm)].map(([, lang, title, code]) => ({ lang: lang!, title, code: code! }));
  return { text, blocks };
}

/** A block's title names a file when it is a path, not a place to run commands. */
const isFile = (block: CodeBlock) => block.title !== undefined && !block.title.startsWith('in ');

/** Text a visitor reads: tags removed, whitespace collapsed. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
/** Markdown inline syntax removed, as it reads once rendered. */
const plain = (markdown: string) =>
  markdown
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

let workspace: string;
let site: string;
let guide: Awaited<ReturnType<typeof quickStart>>;
let buildOutput = '';
let server: RunningServer | undefined;

beforeAll(async () => {
  guide = await quickStart();
  const tarballs = await packedPackages();
  // Side by side, as the README says: the clone in ../astro-segments, the site next to it.
  workspace = await mkdtemp(join(tmpdir(), 'astro-segments-newcomer-'));
  await mkdir(join(workspace, 'astro-segments/packed'), { recursive: true });
  for (const tarball of tarballs.values()) await copyFile(tarball, join(workspace, 'astro-segments/packed', basename(tarball)));
  // An existing site: astro installed from npm, as any site has it.
  const existing = await createSite();
  site = join(workspace, 'my-site');
  await run('mv', [existing, site], { cwd: workspace });
  await run('npm', ['install', '--prefer-offline'], { cwd: site });
}, 600_000);

afterAll(async () => {
  await server?.stop();
  await rm(workspace, { recursive: true, force: true });
});

describe("the README's Quick start, applied literally in a fresh site", () => {
  it('names the one command for when the packages are published, which the local-registry test runs', () => {
    expect(guide.text).toContain(`\`${ASTRO_ADD.join(' ')}\``);
  });

  it('builds the tarballs with the repository set-up commands and pack:packages, whose output the site installs from', async () => {
    const clone = guide.blocks.filter((block) => block.title === 'in ../astro-segments');
    expect(clone.map((block) => block.code)).toEqual(['npx -y pnpm@12.21.0 install && npx -y pnpm@12.21.0 pack:packages\n']);
    const { scripts } = JSON.parse(await readFile(ROOT_PACKAGE, 'utf8')) as { scripts: Record<string, string> };
    // The script the test's packed set comes from (scripts/pack-packages.ts), writing to packed/.
    expect(scripts['pack:packages']).toBe('node scripts/pack-packages.ts');
  });

  it('installs, writes each file and builds clean: no warning from the integration', async () => {
    const steps = guide.blocks.filter((block) => isFile(block) || block.title === 'in your site');
    expect(steps.length).toBeGreaterThanOrEqual(5);
    for (const block of steps) {
      if (isFile(block)) {
        const file = join(site, block.title!);
        await mkdir(join(file, '..'), { recursive: true });
        await writeFile(file, block.code);
        continue;
      }
      for (const line of block.code.split('\n').filter((command) => command.trim())) {
        if (line.includes('astro-segments-serve')) {
          // The site's own bin, as npx runs it, but as the very process the test stops: npx
          // would not pass the stop signal on to the server.
          const bin = line.trim().replace(/^npx /, './node_modules/.bin/');
          server = await spawnServer(['-c', `exec ${bin} --port 0`], { cwd: site, command: { file: 'sh', env: userEnv() } });
          continue;
        }
        const output = await run('sh', ['-c', line], { cwd: site });
        if (/\bastro build\b/.test(line)) buildOutput = output;
      }
    }
    expect(buildOutput).toContain('Complete!');
    expect(buildOutput.split('\n').filter((line) => /\[WARN\]/.test(line))).toEqual([]);
    expect(server, 'the Quick start starts the server').toBeDefined();
  }, 600_000);

  it('serves the default to everyone and the customer variant with the login cookie, over HTTP', async () => {
    const page = guide.blocks.find((block) => block.title?.startsWith('src/pages/'))!;
    const route = `/${page.title!.replace(/^src\/pages\//, '').replace(/\.md$/, '')}/`;
    const customerText = plain(/:::segment\{audience="customer"\}\n([\s\S]*?)\n:::/.exec(page.code)![1]!);
    const defaultText = plain(/:::segment\{otherwise\}\n([\s\S]*?)\n:::/.exec(page.code)![1]!);
    const title = /^title: (.+)$/m.exec(page.code)![1]!;
    const overrideTitle = /^\s+title: (.+)$/m.exec(page.code)![1]!;
    const cookie = /cookie: '([^']+)'/.exec(guide.blocks.find((block) => block.title === 'astro.config.mjs')!.code)![1]!;

    const plainResponse = await fetch(`${server!.origin}${route}`);
    const plainHtml = await plainResponse.text();
    expect(plainResponse.status).toBe(200);
    expect(textOf(plainHtml)).toContain(defaultText);
    expect(textOf(plainHtml)).not.toContain(customerText);
    expect(plainHtml).toContain(`<title>${title}</title>`);

    const customerResponse = await fetch(`${server!.origin}${route}`, { headers: { cookie: `${cookie}=1` } });
    const customerHtml = await customerResponse.text();
    expect(customerResponse.status).toBe(200);
    expect(textOf(customerHtml)).toContain(customerText);
    expect(textOf(customerHtml)).not.toContain(defaultText);
    expect(customerHtml).toContain(`<title>${overrideTitle}</title>`);
    expect(customerResponse.headers.get('cache-control')).toContain('private');
  });

  it("gives every variant file an absolute canonical link to its page, from the config's site", async () => {
    const config = guide.blocks.find((block) => block.title === 'astro.config.mjs')!.code;
    const siteUrl = /site: '([^']+)'/.exec(config)![1]!;
    const manifest = JSON.parse(await readFile(join(site, 'dist/_segments/manifest.json'), 'utf8')) as {
      routes: Record<string, { variants: Record<string, string> }>;
    };
    const variants = Object.entries(manifest.routes).flatMap(([route, entry]) => Object.values(entry.variants).map((hash) => [route, hash] as const));
    expect(variants.length).toBeGreaterThan(0);
    for (const [route, hash] of variants) {
      const html = await readFile(join(site, `dist/_segments/${hash}.html`), 'utf8');
      expect(html).toContain(`<link rel="canonical" href="${new URL(`${route}/`, siteUrl).href}"`);
    }
  });
});
