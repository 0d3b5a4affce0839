/**
 * Pages without segments stay exactly as Astro renders them without the
 * integration, on the site's own Markdown processor: a generated site (the
 * build benchmark's generator: Markdown pages with headings, lists, tables,
 * quotes, links and prose with colons; a fifth personalized) built twice by
 * real Astro, with and without astro-segments, and every page that does not
 * personalize compared byte for byte. The personalized pages' default
 * versions must not hold a marker or any variant's text.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'astro';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainSite, writeSite } from '../bench/build/sitegen.ts';
import { FIXTURES } from './utils/fixture.ts';

// Under a fixture package, so the generated config resolves astro and astro-segments.
const cases = join(FIXTURES, 'basic', '.cases');
const spec = mainSite(60, 12);
const roots = { with: join(cases, 'generated-with'), without: join(cases, 'generated-without') };

/**
 * A page about segments that has none: `:segment` in code and prose, colons before brackets
 * (an inline directive's syntax, where directives are on), an unclaimed container. It stays
 * on the site's renderer, so its footnotes, links and text come out as without the integration.
 */
const MENTIONS = `# Writing segments

Open a block with \`:::segment{audience="customer"}\` and write :segment in prose.

Doors open at 10:30[^1], screens are 16:9[the spec](https://example.com/spec).

:::note
Not a directive on this site.
:::

[^1]: Local time.
`;

beforeAll(async () => {
  for (const mode of ['with', 'without'] as const) {
    await writeSite(roots[mode], spec, mode);
    await writeFile(join(roots[mode], 'src/pages/mentions.md'), MENTIONS);
    await build({ root: roots[mode], logLevel: 'error' });
  }
}, 240_000);
afterAll(async () => {
  for (const root of Object.values(roots)) await rm(root, { recursive: true, force: true });
});

const pages = async (root: string) =>
  (await readdir(join(root, 'dist'), { recursive: true })).map(String).filter((file) => file.endsWith('.html') && !file.startsWith('_segments'));

describe('a generated site, built with and without the integration', () => {
  it('renders every page without segments byte for byte as Astro does without it', async () => {
    const personalized = new Set(Array.from({ length: spec.personalized }, (_, i) => `p/${i}/index.html`));
    const plain = (await pages(roots.without)).filter((file) => !personalized.has(file)).sort();
    expect(plain.length).toBe(spec.pages + 2 - spec.personalized);
    expect(plain).toContain('mentions/index.html');
    expect((await pages(roots.with)).sort()).toEqual((await pages(roots.without)).sort());
    for (const file of plain) {
      expect(await readFile(join(roots.with, 'dist', file), 'utf8'), file).toBe(await readFile(join(roots.without, 'dist', file), 'utf8'));
    }
  });

  it("gives each personalized page's public URL its default version only", async () => {
    for (let i = 0; i < spec.personalized; i++) {
      const html = await readFile(join(roots.with, 'dist', `p/${i}/index.html`), 'utf8');
      expect(html).not.toMatch(/<astro-segment|:::segment/);
      expect(html).toMatch(/The standard \w+ text\./);
      expect(html).not.toMatch(/For (customer|partner|eu|na|spring|producthunt)/);
    }
  });
});
