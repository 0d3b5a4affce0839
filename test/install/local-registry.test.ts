import { stripVTControlCharacters } from 'node:util';
/**
 * The first install, as a user does it once the packages are published: our
 * three packed tarballs published to a local registry (Verdaccio on 127.0.0.1,
 * everything else proxied from npm), and two fresh Astro 7 sites outside the
 * workspace that already have astro installed, as any existing site does.
 *
 * - npm: `npx astro add astro-segments`, answering its prompts, then
 *   `astro build`, `astro dev` and the Dev Toolbar app in Chromium.
 * - pnpm: `pnpm add astro-segments`, then a personalized page built.
 *
 * Either way the integration's own packages (@astro-segments/edge,
 * remark-segments) must come from the registry by themselves. The pnpm site
 * installs in the background while the npm site is tested: both wait on the
 * network far more than on the two cores.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedPackages, type PackageDir } from '../../scripts/pack-packages.ts';
import { AUDIENCE_DIMENSIONS, PRICING_PAGE } from '../../scripts/sample-site.ts';
import { startAstroDev, type RunningServer } from '../utils/astro-dev.ts';
import { launchChromium } from '../utils/chromium.ts';
import { openApp } from '../utils/dev-toolbar.ts';
import { startRegistry, type LocalRegistry } from './registry.ts';
import { ASTRO_ADD, createSite, PNPM, run } from './site.ts';

const OUR_PACKAGES: Readonly<Record<PackageDir, string>> = {
  'packages/edge': '@astro-segments/edge',
  'packages/remark-segments': 'remark-segments',
  'packages/astro-segments': 'astro-segments',
};

let registry: LocalRegistry;
/** npm's and pnpm's `sha512-…` integrity of each packed tarball, by package name. */
const integrity = new Map<string, string>();
const sites: string[] = [];
let pnpmSite: Promise<{ root: string; output: string }>;

/** A site that already has astro (installed from npm as usual), then pointed at the local registry. */
async function existingSite(manager: 'npm' | 'pnpm', files: Readonly<Record<string, string>> = {}): Promise<string> {
  // pnpm 12 refuses to install until every install script is decided, as `pnpm approve-builds` records it.
  const root = await createSite(manager === 'pnpm' ? { 'pnpm-workspace.yaml': 'allowBuilds:\n  esbuild: false\n  sharp: false\n', ...files } : files);
  sites.push(root);
  await run(manager === 'npm' ? 'npm' : PNPM, ['install', '--prefer-offline'], { cwd: root });
  await writeFile(join(root, '.npmrc'), `registry=${registry.url}\n`);
  return root;
}

const PERSONALIZED_CONFIG = `import { defineConfig } from 'astro/config';
import segments from 'astro-segments';

export default defineConfig({
  site: 'https://example.com',
  integrations: [segments({ dimensions: ${AUDIENCE_DIMENSIONS} })],
});
`;

beforeAll(async () => {
  const tarballs = await packedPackages();
  registry = await startRegistry();
  await Promise.all(
    [...tarballs].map(async ([dir, tarball]) => {
      integrity.set(
        OUR_PACKAGES[dir],
        `sha512-${createHash('sha512')
          .update(await readFile(tarball))
          .digest('base64')}`,
      );
      await registry.publish(tarball);
    }),
  );
  pnpmSite = (async () => {
    const root = await existingSite('pnpm', { 'astro.config.mjs': PERSONALIZED_CONFIG, 'src/pages/pricing.md': PRICING_PAGE });
    return { root, output: await run(PNPM, ['add', 'astro-segments'], { cwd: root }) };
  })();
  // Awaited by the pnpm tests; never an unhandled rejection if the npm tests fail first.
  pnpmSite.catch(() => {});
}, 600_000);

afterAll(async () => {
  await pnpmSite?.catch(() => {});
  await registry?.stop();
  await Promise.all(sites.map((root) => rm(root, { recursive: true, force: true })));
});

describe('npm: npx astro add astro-segments in an existing site', () => {
  let site: string;
  let added: string;

  beforeAll(async () => {
    site = await existingSite('npm');
  }, 600_000);

  it('answers yes to its prompts, installs the three packages from the registry and adds segments() to the config', async () => {
    const prompts: string[] = [];
    added = await run(ASTRO_ADD[0], ASTRO_ADD.slice(1), {
      cwd: site,
      // Answer a confirmation only while it is active (◆, or * without Unicode); its answered
      // form (◇ or o) repeats the question.
      answer: (output) => {
        const prompt = /[◆*]\s+Continue\?/.exec(output);
        if (!prompt) return undefined;
        prompts.push(output.slice(0, prompt.index).trim().split('\n').slice(-3).join(' '));
        return 'y\r';
      },
    });
    // Not an official package; install the dependencies; change the config.
    expect(prompts).toHaveLength(3);
    expect(added).toContain('Added the following integration to your project');
    const config = await readFile(join(site, 'astro.config.mjs'), 'utf8');
    expect(config).toContain("import segments from 'astro-segments';");
    expect(config).toMatch(/integrations: \[segments\(\)\]/);

    const lock = JSON.parse(await readFile(join(site, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string; integrity?: string; link?: boolean }>;
    };
    for (const [name, expected] of integrity) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry, `${name} is installed`).toBeDefined();
      // The very tarball this run packed: from the local registry, not a link or another copy.
      expect(entry?.integrity, name).toBe(expected);
      expect(entry?.link, name).toBeUndefined();
    }
  });

  it('builds, and the build says in one line how to declare the first dimension, with a link to the docs', async () => {
    const output = await run('npx', ['astro', 'build'], { cwd: site });
    expect(output).toContain('Complete!');
    const { homepage } = JSON.parse(await readFile(join(site, 'node_modules/astro-segments/package.json'), 'utf8')) as { homepage: string };
    const docs = new URL('reference/options/#dimensions', homepage).href;
    const lines = output.split('\n').filter((line) => line.includes('[astro-segments]'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('No dimension is declared yet, so no page is personalized.');
    expect(lines[0]).toContain("segments({ dimensions: { audience: { default: 'prospect'");
    expect(lines[0]).toContain(`See ${docs}`);
    expect(await readFile(join(site, 'dist/index.html'), 'utf8')).toContain('<h1>My site</h1>');
  });

  describe('astro dev', () => {
    let server: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      server = await startAstroDev(site, { path: '/', expect: 'My site' });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('says the same line when it starts', () => {
      const lines = stripVTControlCharacters(server.output())
        .split('\n')
        .filter((line) => line.includes('[astro-segments]'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('No dimension is declared yet, so no page is personalized.');
    });

    it('the Dev Toolbar app says the same, with the link', async () => {
      const { homepage } = JSON.parse(await readFile(join(site, 'node_modules/astro-segments/package.json'), 'utf8')) as { homepage: string };
      const page = await browser.newPage();
      await page.goto(`${server.origin}/`);
      const app = await openApp(page);
      expect(await app.locator('.setup').innerText()).toContain('No dimension is declared yet, so no page is personalized.');
      const link = app.getByRole('link', { name: 'How to declare dimensions' });
      expect(await link.getAttribute('href')).toBe(new URL('reference/options/#dimensions', homepage).href);
      await page.close();
    });
  });
});

describe('pnpm: pnpm add astro-segments in an existing site', () => {
  let site: string;

  beforeAll(async () => {
    site = (await pnpmSite).root;
  }, 600_000);

  it('pulls @astro-segments/edge and remark-segments from the registry by itself', async () => {
    const lock = await readFile(join(site, 'pnpm-lock.yaml'), 'utf8');
    for (const [name, expected] of integrity) {
      // `name@0.1.0:` followed by its resolution: the tarball this run packed.
      const entry = new RegExp(`\\n  '?${name.replace('/', '\\/')}@[^:\\n]+'?:\\n    resolution: \\{integrity: ([^}]+)\\}`).exec(lock);
      expect(entry, `${name} in pnpm-lock.yaml`).not.toBeNull();
      expect(entry?.[1], name).toBe(expected);
    }
  });

  it('builds a personalized page with the installed packages (pnpm isolates dependencies: each must declare its own)', async () => {
    await run(PNPM, ['exec', 'astro', 'build'], { cwd: site });
    const manifest = JSON.parse(await readFile(join(site, 'dist/_segments/manifest.json'), 'utf8')) as {
      routes: Record<string, { variants: Record<string, string> }>;
    };
    const customer = manifest.routes['/pricing']?.variants.customer;
    expect(customer).toBeDefined();
    expect(await readFile(join(site, `dist/_segments/${customer}.html`), 'utf8')).toContain('Upgrade your plan.');
    expect(await readFile(join(site, 'dist/pricing/index.html'), 'utf8')).toContain('Start your free trial.');
  });
});
