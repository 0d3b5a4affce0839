/**
 * Islands inside segment blocks, built by real Astro with a real UI framework
 * (@astrojs/preact) and a custom client directive: every version — the public
 * page and each variant file — carries exactly the island scripts its own
 * islands need, each once and before the first island that needs it.
 *
 * Astro's scripts are recognized here by their exact text from the installed
 * Astro, not by the slicer's own patterns.
 */
import { ISLAND_STYLES } from 'astro/runtime/server/astro-island-styles.js';
import islandRuntime from 'astro/runtime/server/astro-island.prebuilt.js';
import idle from 'astro/runtime/client/idle.prebuilt.js';
import load from 'astro/runtime/client/load.prebuilt.js';
import only from 'astro/runtime/client/only.prebuilt.js';
import visible from 'astro/runtime/client/visible.prebuilt.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAstroDev, type RunningServer } from './utils/astro-dev.ts';
import { buildFixture, type BuiltFixture } from './utils/fixture.ts';

let site: BuiltFixture;

beforeAll(async () => {
  site = await buildFixture('islands');
});

afterAll(async () => {
  await site?.cleanup();
});

const BUILT_IN: Readonly<Record<string, string>> = {
  styles: `<style>${ISLAND_STYLES}</style>`,
  runtime: `<script>${islandRuntime}</script>`,
  idle: `<script>${idle}</script>`,
  load: `<script>${load}</script>`,
  only: `<script>${only}</script>`,
  visible: `<script>${visible}</script>`,
};
// The fixture's custom directive is bundled by Astro at build time; it assigns itself to `Astro.click`.
const CUSTOM = /<script>[^<]*\(self\.Astro\|\|\(self\.Astro=\{\}\)\)\.click=[^<]*<\/script>/g;

interface Outline {
  /** `label:directive` of each island, in document order. */
  readonly islands: string[];
  /** Offset of each island script, by what it is for; several offsets mean copies. */
  readonly scripts: Map<string, number[]>;
  readonly islandAt: { readonly directive: string; readonly at: number }[];
}

function outline(html: string): Outline {
  const scripts = new Map<string, number[]>();
  const add = (key: string, at: number) => scripts.set(key, [...(scripts.get(key) ?? []), at]);
  for (const [key, text] of Object.entries(BUILT_IN)) {
    for (let at = html.indexOf(text); at >= 0; at = html.indexOf(text, at + 1)) add(key, at);
  }
  for (const match of html.matchAll(CUSTOM)) add('click', match.index);
  const islandAt = [...html.matchAll(/<astro-island\b[^>]*?props="[^"]*?label&quot;:\[0,&quot;(\w+)&quot;[^>]*?client="(\w+)"/g)].map((match) => ({
    label: match[1]!,
    directive: match[2]!,
    at: match.index,
  }));
  return { islands: islandAt.map((island) => `${island.label}:${island.directive}`), scripts, islandAt };
}

/**
 * The page's islands, after checking its scripts: each script once, only the
 * ones its islands need (the runtime and styles for any island, the directive
 * of each), each before the first island that needs it.
 */
function islandsOf(html: string, where: string): string[] {
  const { islands, scripts, islandAt } = outline(html);
  const needed = new Set(islandAt.length ? ['styles', 'runtime', ...islandAt.map((island) => island.directive)] : []);
  expect([...scripts.keys()].sort(), `${where}: island scripts`).toEqual([...needed].sort());
  for (const [key, offsets] of scripts) {
    expect(offsets, `${where}: copies of the ${key} script`).toHaveLength(1);
    const first = islandAt.find((island) => key === 'styles' || key === 'runtime' || island.directive === key)!;
    expect(offsets[0], `${where}: the ${key} script comes before the first island that needs it`).toBeLessThan(first.at);
  }
  return islands;
}

/** Each version of a route: `default` (the public page) and every combination key. */
async function versions(route: string): Promise<Record<string, string>> {
  const { routes } = await site.manifest();
  const variants = await site.variants(route);
  const all: Record<string, string> = { default: variants.default! };
  for (const value of ['member', 'trial', 'free']) {
    const hash = routes[route]!.variants[value];
    if (hash) all[value] = variants[value]!;
  }
  return all;
}

/** Every version's islands, with every version's scripts checked. */
async function islandsByVersion(route: string): Promise<Record<string, string[]>> {
  const all = await versions(route);
  for (const html of Object.values(all)) expect(html).not.toMatch(/<\/?astro-segment/);
  return Object.fromEntries(Object.entries(all).map(([name, html]) => [name, islandsOf(html, `${route} ${name}`)]));
}

describe('islands inside segment blocks', () => {
  it('builds an island in an otherwise block whose directive is first used there, and gives its scripts only to versions that show it', async () => {
    expect(await islandsByVersion('/otherwise')).toEqual({ default: ['free:visible'], member: [] });
    expect((await versions('/otherwise')).member).toContain('Member meter');
  });

  it('builds client:load in a segment block next to client:visible in its otherwise block; no version keeps the other directive', async () => {
    expect(await islandsByVersion('/mixed')).toEqual({ default: ['other:visible'], member: ['member:load'] });
  });

  it('gives a version the scripts whose first use sits in a block it hides, when an island of its own needs them', async () => {
    expect(await islandsByVersion('/first-hidden')).toEqual({
      default: ['everyone:load'],
      member: ['member:load', 'everyone:load'],
      trial: ['trial:idle', 'everyone:load'],
    });
  });

  it('does the same for islands in Markdown blocks of an MDX page, whose scripts Astro writes inside the block', async () => {
    expect(await islandsByVersion('/story')).toEqual({
      default: ['other:visible'],
      member: ['member:load'],
      trial: ['other:visible', 'trial:idle'],
    });
  });

  it("moves a custom client directive's script (added with addClientDirective) like the built-in ones", async () => {
    expect(await islandsByVersion('/custom')).toEqual({ default: ['everyone:click'], member: ['member:click', 'everyone:click'] });
  });

  it('handles an island in a <head> block: its scripts stay in the head for the version that shows it, and leave the others', async () => {
    const islands = await islandsByVersion('/head');
    expect(islands).toEqual({ default: [], member: ['head:only'], trial: ['trial:load'] });
    const member = (await versions('/head')).member!;
    expect(member.indexOf(BUILT_IN.only!)).toBeLessThan(member.indexOf('</head>'));
  });
});

describe('islands inside segment blocks in astro dev', () => {
  let dev: RunningServer;

  beforeAll(async () => {
    dev = await startAstroDev(site.root, { path: '/otherwise/', expect: 'free: 0' });
  });

  afterAll(async () => {
    await dev?.stop();
  });

  it('serves the otherwise block with its island and its scripts, and the member version with neither', async () => {
    const free = await fetch(`${dev.origin}/otherwise/`);
    const freeBody = await free.text();
    expect(free.status).toBe(200);
    expect(freeBody).toContain('free: 0');
    expect(freeBody).toContain(BUILT_IN.visible);
    expect(freeBody).toContain(BUILT_IN.styles);
    const member = await (await fetch(`${dev.origin}/otherwise/?segment=plan:member`)).text();
    expect(member).toContain('Member meter');
    expect(member).not.toMatch(/<astro-island|astro:visible|customElements\.define\("astro-island"/);
  });
});
