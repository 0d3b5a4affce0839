/**
 * The docs site uses the product: built once with real Astro and Starlight,
 * served by its own serve script through the real router (the Node server),
 * read by real Chromium and by its real Pagefind index. A reader chooses
 * their host and package manager once; nothing is inferred; "show all" is
 * one click away; search shows public pages and nothing only a variant says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../utils/chromium.ts';
import { buildFixture, type BuiltFixture } from '../utils/fixture.ts';
import { mainText, textRuns } from './page-text.ts';
import { readSearchIndex } from './search-index.ts';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const CONTENT = join(DOCS, 'src/content/docs');

let site: BuiltFixture;
let serve: ChildProcess | undefined;
let url: string;
let browser: Browser;

beforeAll(async () => {
  site = await asAstroBuildDoes(() => buildFixture(DOCS));
  url = await startServeScript(site.outDir);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve!.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  }
  await site?.cleanup();
});

/**
 * Vitest copies its own `import.meta.env` into process.env (NODE_ENV and MODE `test`, DEV
 * `1`, PROD empty), and Astro reads `import.meta.env` from process.env: a site built inside
 * a test would ship with DEV on, and Starlight with its "search is only available in
 * production builds" placeholder instead of search. Build with what `astro build` sees.
 */
async function asAstroBuildDoes<T>(work: () => Promise<T>): Promise<T> {
  const names = ['NODE_ENV', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL'];
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  process.env.NODE_ENV = 'production';
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** `docs/scripts/serve.ts`, as `npx -y pnpm@12.21.0 run docs` runs it, on a free port: resolves with the URL it prints. */
function startServeScript(dir: string): Promise<string> {
  const child = spawn(process.execPath, ['scripts/serve.ts', '--port', '0', '--dir', dir], { cwd: DOCS, stdio: ['ignore', 'pipe', 'pipe'] });
  serve = child;
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the docs server did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const printed = /served through the astro-segments router: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (printed && output.includes('Stop with Ctrl+C.')) {
        clearTimeout(timer);
        resolve(printed[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`the docs server exited with ${code}:\n${output}`)));
  });
}

/** Content files whose frontmatter declares `segments`, as the routes they build. */
async function declaredRoutes(): Promise<string[]> {
  const routes: string[] = [];
  for (const entry of await readdir(CONTENT, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.mdx?$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    const frontmatter = /^---\n([\s\S]*?)\n---/.exec(await readFile(file, 'utf8'))?.[1] ?? '';
    if (!/^segments:/m.test(frontmatter)) continue;
    routes.push(
      `/${relative(CONTENT, file)
        .replace(/\.mdx?$/, '')
        .replace(/(^|\/)index$/, '')}`.replace(/\/$/, '') || '/',
    );
  }
  return routes.sort();
}

describe('the docs site, built', () => {
  it("personalizes the install, quick start, MDX and deploy pages on the reader's host and package manager", async () => {
    const { routes } = await site.manifest();
    expect(routes['/guides/install']?.dims).toEqual(['pm']);
    expect(routes['/start/quick-start']?.dims).toEqual(['pm']);
    expect(routes['/guides/mdx']?.dims).toEqual(['pm']);
    expect(routes['/guides/deploy']?.dims).toEqual(['host']);
    expect(routes['/start/setup']?.dims).toEqual(['host', 'pm']);
    // Each reader's choice has a file of its own on the deploy page: four hosts.
    expect(Object.keys(routes['/guides/deploy']!.variants).sort()).toEqual(['cloudflare', 'netlify', 'node', 'vercel']);
  });

  it('lists every page whose frontmatter declares segments in the manifest, and no other', async () => {
    const { routes } = await site.manifest();
    expect(Object.keys(routes).sort()).toEqual(await declaredRoutes());
  });

  it("infers nothing: no value has a rule, so only a reader's own choice picks a version", async () => {
    const { dimensions } = await site.manifest();
    expect(dimensions.map((dimension) => dimension.name)).toEqual(['host', 'pm']);
    for (const dimension of dimensions) {
      expect(dimension.default).toBe('all');
      for (const value of dimension.values) expect(value.rules, `${dimension.name}=${value.name}`).toEqual([]);
    }
  });
});

/** The stylesheets and module scripts a page loads. */
const assetsOf = (html: string) =>
  [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"|<script type="module" src="([^"]+)"/g)].map((match) => match[1] ?? match[2] ?? '').sort();

describe('every version of a page', () => {
  it('loads the stylesheets and scripts its public page loads (code blocks keep their styles and copy buttons)', async () => {
    const missing: string[] = [];
    for (const route of Object.keys((await site.manifest()).routes)) {
      const { default: standard, ...variants } = await site.variants(route);
      const wanted = assetsOf(standard!);
      expect(
        wanted.some((asset) => asset.includes('/ec.')),
        `${route} has no Expressive Code assets`,
      ).toBe(true);
      for (const [key, html] of Object.entries(variants)) {
        const has = new Set(assetsOf(html));
        for (const asset of wanted) if (!has.has(asset)) missing.push(`${route} (${key}): ${asset}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('search', () => {
  it('indexes the public pages and never a variant file', async () => {
    const urls = (await readSearchIndex(site.outDir)).map((page) => page.url);
    expect(urls).toEqual(expect.arrayContaining(['/start/quick-start/', '/guides/deploy/', '/reference/options/', '/reference/errors/']));
    expect(urls.filter((page) => page.includes('/_segments/'))).toEqual([]);
  });

  it('holds no text that only a variant of a page shows', async () => {
    const index = await readSearchIndex(site.outDir);
    const leaks: string[] = [];
    for (const [route, versions] of Object.entries((await site.manifest()).routes)) {
      // What a search shows for this page: its public URL's entry.
      const indexed = index
        .filter((page) => page.url === `${route}/`)
        .map((page) => page.content)
        .join('\n');
      expect(indexed, `${route} is not in the search index`).not.toBe('');
      const variants = await site.variants(route);
      const standard = mainText(variants.default!);
      for (const [key, html] of Object.entries(variants)) {
        if (key === 'default') continue;
        for (const run of textRuns(html)) {
          if (!standard.includes(run) && indexed.includes(run)) leaks.push(`${route} (${key}): "${run}"`);
        }
      }
      expect(Object.keys(versions.variants).length, route).toBeGreaterThan(0);
    }
    expect(leaks).toEqual([]);
  });
});

// A real browser on a machine shared with other builds: give each step room.
describe('in Chromium, through the router', { timeout: 180_000 }, () => {
  let context: BrowserContext;
  let page: Page;

  // Each test is a new reader: a fresh browser profile, no cookie.
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterEach(() => context?.close());

  /** A reader who chose Vercel and pnpm on the setup page. */
  const chooseVercelAndPnpm = async () => {
    await page.goto(`${url}start/setup/`);
    await page.getByRole('list', { name: 'Your host' }).getByRole('link', { name: 'Vercel' }).click();
    await page.waitForURL(/\?segment=host:vercel$/);
    await page.getByRole('list', { name: 'Your package manager' }).getByRole('link', { name: 'pnpm' }).click();
    await page.waitForURL(/\?segment=pm:pnpm$/);
  };

  const choice = async () => (await context.cookies()).find((cookie) => cookie.name === 'segment')?.value;
  const cards = () => page.locator('article.card > p.title').allInnerTexts();
  // Titles of the code blocks that hold one package manager's commands.
  const commandTitles = async () =>
    (await page.locator('main figcaption .title').allInnerTexts()).filter((title) => ['npm', 'pnpm', 'Yarn', 'Bun'].includes(title));

  it('shows every command until the reader chooses, and sets no cookie', async () => {
    await page.goto(`${url}guides/deploy/`);
    expect(await cards()).toEqual(['Netlify', 'Vercel', 'Cloudflare', 'Node']);
    await page.goto(`${url}guides/install/`);
    expect(await commandTitles()).toEqual(['npm', 'pnpm', 'Yarn', 'Bun', 'npm', 'pnpm', 'Yarn', 'Bun']);
    expect(await page.locator('.segment-notice').count()).toBe(0);
    expect(await choice()).toBeUndefined();
  });

  it('remembers a host and a package manager chosen once, on every page that has their commands', async () => {
    await page.goto(`${url}start/setup/`);
    await page.getByRole('list', { name: 'Your host' }).getByRole('link', { name: 'Vercel' }).click();
    await page.waitForURL(/\?segment=host:vercel$/);
    expect(await page.getByRole('list', { name: 'Your host' }).locator('[aria-current="true"]').innerText()).toBe('Vercel');
    await page.getByRole('list', { name: 'Your package manager' }).getByRole('link', { name: 'pnpm' }).click();
    await page.waitForURL(/\?segment=pm:pnpm$/);
    // One cookie, holding only the two declared choices.
    expect(await choice()).toBe('host:vercel|pm:pnpm');

    await page.goto(`${url}guides/deploy/`);
    expect(await cards()).toEqual(['Vercel']);
    expect(await page.locator('.segment-notice__text').innerText()).toBe(
      'You are seeing the version of this page for readers deploying to Vercel, because you chose it.',
    );

    await page.goto(`${url}guides/install/`);
    const install = await page.locator('main').innerText();
    expect(install).toContain('pnpm add astro-segments');
    for (const other of ['npm install astro-segments', 'yarn add astro-segments', 'bun add astro-segments']) expect(install).not.toContain(other);

    await page.goto(`${url}start/quick-start/`);
    expect(await commandTitles()).toEqual(['pnpm', 'pnpm']);
  });

  it('"show all" is one click away and forgets nothing; the standard version forgets the choice', async () => {
    await chooseVercelAndPnpm();
    await page.goto(`${url}guides/deploy/`);
    expect(await cards()).toEqual(['Vercel']);
    await page.getByRole('link', { name: 'Show every host' }).click();
    await page.waitForURL(/\?segment-preview=host:all$/);
    expect(await cards()).toEqual(['Netlify', 'Vercel', 'Cloudflare', 'Node']);
    expect(await choice()).toBe('host:vercel|pm:pnpm');

    await page.goto(`${url}guides/deploy/`);
    expect(await cards()).toEqual(['Vercel']);
    await page.getByRole('link', { name: 'See the standard version' }).click();
    await page.waitForURL(/\?segment=reset$/);
    expect(await cards()).toEqual(['Netlify', 'Vercel', 'Cloudflare', 'Node']);
    expect(await choice()).toBeUndefined();
  });

  it('makes no choice when a reader only points at a choice link', async () => {
    await page.goto(`${url}start/setup/`);
    await page.waitForLoadState('networkidle');
    await page.getByRole('list', { name: 'Your host' }).getByRole('link', { name: 'Netlify' }).hover();
    // Starlight would prefetch the hovered link, a GET the router answers with the choice's cookie.
    await page.waitForTimeout(1_000);
    await page.waitForLoadState('networkidle');
    expect(await choice()).toBeUndefined();
  });

  it('search finds a public page, and nothing only a variant says', async () => {
    const search = async (query: string) => {
      await page.goto(url);
      // Starlight builds the search form when the browser is first idle after loading (slow on a busy machine).
      const input = page.locator('#starlight__search input');
      await input.waitFor({ state: 'attached', timeout: 90_000 });
      await page.locator('site-search button[data-open-modal]').click();
      await input.fill(query);
      // "3 results for holdout", "No results for "narrowed"": the search is done.
      const message = page.locator('.pagefind-ui__message');
      await expect.poll(async () => /results? for/i.test(await message.innerText().catch(() => '')), { timeout: 30_000 }).toBe(true);
      return page.locator('.pagefind-ui__result-link').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
    };
    expect(await search('holdout')).toContain('/guides/measure/');
    // "narrowed" is written only in the notes that versions for one host or package manager show.
    // Quoted: an exact match, where Pagefind would otherwise also match words that merely start alike.
    expect(await search('"narrowed"')).toEqual([]);
  });
});
