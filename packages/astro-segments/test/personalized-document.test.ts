import { AstroError } from 'astro/errors';
import { describe, expect, it } from 'vitest';
import { splitPersonalized, type RenderedMarkdown } from '../src/content/personalized-document.ts';
import { personalizedRender } from '../src/content/render-entry.ts';
import { validateOptions } from '../src/validate-options.ts';

const options = validateOptions({
  dimensions: {
    audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' } }, partner: {}, prospect: {} } },
    region: { default: 'intl', values: { eu: { when: { continent: 'EU' } }, intl: {} } },
  },
});

const config = (dimensions: string[]) =>
  JSON.stringify({
    file: 'src/content/docs/a.md',
    head: { title: 'A' },
    dimensions,
    purpose: 'Show each segment its copy',
    kpi: 'Sign-ups',
    overrides: [],
  }).replaceAll('"', '&quot;');
const pageMarker = (dimensions: string[]) => `<astro-segments-page data-config="${config(dimensions)}"></astro-segments-page>\n`;
const block = (when: string, body: string) => `<astro-segment data-when="${when}">${body}</astro-segment>`;
const otherwise = (body: string) => `<astro-segment data-otherwise="">${body}</astro-segment>`;

/** Documents as the renderer marks them: blocks on lines of their own, inline, adjacent, first and last. */
const DOCUMENTS: Record<string, string> = {
  'blocks on their own lines': `${pageMarker(['audience'])}<h1 id="a">A</h1>\n<p>Intro.</p>\n${block('audience=customer', '\n<h2 id="yours">Yours</h2>\n<p>Hi.</p>\n')}\n${otherwise('\n<p>Start a trial.</p>\n')}\n<p>Outro.</p>`,
  'inline blocks': `${pageMarker(['audience'])}<p>Price: ${block('audience=customer', '10')}${block('audience=partner', '8')}${otherwise('20')} a month.</p>`,
  'a block of one line break': `${pageMarker(['audience'])}<p>a</p>\n${block('audience=customer', '\n')}\n${otherwise('\n<p>b</p>\n')}`,
  'two dimensions, blocks first and last': `${pageMarker(['audience', 'region'])}${block('region=eu', '<p>VAT.</p>')}\n<p>Middle.</p>\n${block('audience=customer', '<p>C</p>')}${otherwise('<p>P</p>')}`,
};

function split(html: string) {
  const rendered: RenderedMarkdown = { code: html, metadata: { headings: [{ depth: 1, slug: 'a', text: 'A' }] } };
  return splitPersonalized(rendered, 'src/content/docs/a.md', options);
}

/** What the page's `render()` hands Astro for a stored entry. */
async function renderedFor(rendered: { html: string; metadata: Record<string, unknown> }): Promise<string> {
  const render = personalizedRender(async (entry: { filePath: string; rendered: { html: string } }) => entry.rendered.html);
  return render({ filePath: 'src/content/docs/a.md', rendered });
}

describe('a personalized entry as Astro stores it', () => {
  for (const [name, html] of Object.entries(DOCUMENTS)) {
    it(`gives its page the marked HTML back exactly: ${name}`, async () => {
      const { result, marked } = split(html);
      expect(marked?.html).toBe(html);
      expect(result.code).not.toContain('astro-segment');
      const stored = result.metadata.astroSegments;
      expect(stored).toMatchObject({ base: result.code.length });
      expect(stored).not.toHaveProperty('html');
      expect(await renderedFor({ html: result.code, metadata: result.metadata })).toBe(html);
    });
  }

  it('gives it back exactly for generated documents', async () => {
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    const parts = [
      () => `<p>text ${next(100)}</p>\n`,
      () => `${block('audience=customer', next(2) ? '\n<p>c</p>\n' : 'c')}${next(2) ? otherwise(next(2) ? '\n<p>o</p>\n' : '\n') : ''}\n`,
      () => `<p>a ${block('region=eu', 'eu')}${otherwise('world')} b</p>\n`,
      () => `${block('audience=partner, customer', '<p>\nx\n</p>')}\n`,
    ];
    for (let n = 0; n < 200; n++) {
      let html = pageMarker(['audience', 'region']);
      for (let k = 1 + next(8); k > 0; k--) html += parts[next(parts.length)]!();
      const { result } = split(html);
      expect(await renderedFor({ html: result.code, metadata: result.metadata }), html).toBe(html);
    }
  });

  it('stores what the marked HTML adds to the default version, not the default version again', () => {
    const prose = '<p>Every version shows this paragraph of prose, the bulk of a real page.</p>\n'.repeat(40);
    const html = `${prose}${DOCUMENTS['blocks on their own lines']}\n${prose}`;
    const { result } = split(html);
    const added = html.length - result.code.length;
    expect(JSON.stringify(result.metadata.astroSegments).length).toBeLessThan(added + 200);
  });

  it('fails the page, naming the entry, when a loader changed the rendered HTML it stored', async () => {
    const { result } = split(DOCUMENTS['blocks on their own lines']!);
    const changed = renderedFor({ html: `<div>${result.code}</div>`, metadata: result.metadata });
    await expect(changed).rejects.toThrow(AstroError);
    await expect(changed).rejects.toThrow(/src\/content\/docs\/a\.md: its rendered HTML was changed after it was rendered/);
  });
});
