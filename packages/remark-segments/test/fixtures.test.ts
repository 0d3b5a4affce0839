/**
 * Fixture-driven compiler tests, like remark-directive's: every folder in
 * `fixtures/` has an `input.md`, optionally `frontmatter.json` (passed as
 * `file.data.astro.frontmatter`) and `options.json`, and the expected
 * `output.html`. Regenerate the expected files with `UPDATE=1`.
 */
import fs from 'node:fs/promises';
import { markdownToHtml } from 'satteri';
import { describe, expect, it } from 'vitest';
import { toHtml, toHtmlSatteri } from './process.ts';

const root = new URL('fixtures/', import.meta.url);
const update = process.env.UPDATE === '1';
const names = (await fs.readdir(root, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

async function readOptional(url: URL): Promise<string | undefined> {
  try {
    return await fs.readFile(url, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function render(name: string, engine = toHtml): Promise<string> {
  const folder = new URL(`${name}/`, root);
  const input = await fs.readFile(new URL('input.md', folder), 'utf8');
  const frontmatter = await readOptional(new URL('frontmatter.json', folder));
  const options = await readOptional(new URL('options.json', folder));
  return engine(input, {
    path: `${name}/input.md`,
    frontmatter: frontmatter === undefined ? undefined : JSON.parse(frontmatter),
    options: options === undefined ? undefined : JSON.parse(options),
  });
}

describe('fixtures', () => {
  it('has the cases the plugin promises', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'single-block',
        'one-of',
        'negation',
        'two-dimensions',
        'otherwise',
        'rich-content',
        'prose-with-colons',
        'page-marker',
        'standalone',
        'in-containers',
      ]),
    );
  });

  for (const name of names) {
    it(`compiles ${name}/input.md to output.html`, async () => {
      const actual = await render(name);
      const expectedUrl = new URL(`${name}/output.html`, root);
      if (update) await fs.writeFile(expectedUrl, actual);
      const expected = await readOptional(expectedUrl);
      expect(expected, `${name}/output.html is missing: run with UPDATE=1`).toBeDefined();
      expect(actual).toBe(expected);
    });
  }

  for (const name of names) {
    it(`compiles ${name}/input.md on Sätteri to the same HTML, up to whitespace between tags`, async () => {
      expect(normalize(await render(name, toHtmlSatteri))).toBe(normalize(await render(name)));
    });
  }

  it('leaves prose with colons exactly as written', async () => {
    // Independent of output.html: each paragraph of the input must come out
    // as the same text (the fixture has no characters HTML would escape).
    const input = await fs.readFile(new URL('prose-with-colons/input.md', root), 'utf8');
    const html = await render('prose-with-colons');
    const paragraphs = input.trim().split('\n\n');
    expect(html).toBe(paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n'));
    expect(html).toContain('10:30');
    expect(html).toContain('re:Invent');
    expect(html).toContain('3:17');
    expect(html).toContain('Note:this');
    expect(html).toContain('a::b');
    expect(html).toContain('https://x.y');
    expect(html).not.toContain('<div');
  });

  it('keeps the Markdown of an unclaimed inline directive’s label on Sätteri, as without directives', async () => {
    const markdown = 'An :abbr[**HTML**]{title="x"}, a :kbd[*Ctrl*] and :empty[]{a=1} at 10:30.\n';
    const html = await toHtmlSatteri(markdown);
    expect(html).toContain('An :abbr[<strong>HTML</strong>]{title="x"}, a :kbd[<em>Ctrl</em>] and :empty[]{a=1} at 10:30.');
    expect(html).toBe((await markdownToHtml(markdown, { features: { gfm: false, smartPunctuation: false } })).html);
  });
});

/** remark-rehype and Sätteri break lines between blocks and write `"` differently; the markup must be the same. */
function normalize(html: string): string {
  return html.replace(/>\s+</g, '><').replaceAll('&#x22;', '&quot;').replaceAll('&#x26;', '&amp;').trim();
}
