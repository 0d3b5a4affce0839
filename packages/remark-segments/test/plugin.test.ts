import type { Root } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import rehypeStringify from 'rehype-stringify';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import remarkSegments, { deserializeCondition, parseCondition, serializeCondition } from '../index.ts';
import { page, site, toHtml } from './process.ts';

/**
 * A stand-in for Starlight's asides plugin: it owns `:::note`, `:::tip`,
 * `:::caution` and `:::danger`, and relies on remark-directive's syntax.
 */
function remarkAsides() {
  return (tree: Root) => {
    visit(tree, 'containerDirective', (node: ContainerDirective) => {
      if (!['note', 'tip', 'caution', 'danger'].includes(node.name)) return;
      const first = node.children[0];
      const title = first?.type === 'paragraph' && first.data?.directiveLabel ? node.children.shift() : undefined;
      const label = title?.type === 'paragraph' && title.children[0]?.type === 'text' ? title.children[0].value : node.name;
      Object.assign((node.data ??= {}), {
        hName: 'aside',
        hProperties: { className: ['starlight-aside', `starlight-aside--${node.name}`], ariaLabel: label },
      });
    });
  };
}

const starlightPage = [
  'Doors open at 10:30.',
  '',
  ':::note',
  'Asides keep working.',
  ':::',
  '',
  ':::tip[Did you know?]',
  'Labels too.',
  ':::',
  '',
  '::::segment{audience="customer"}',
  ':::caution',
  'Inside a segment.',
  ':::',
  '::::',
  '',
].join('\n');

const starlightExpected = [
  '<p>Doors open at 10:30.</p>',
  '<aside class="starlight-aside starlight-aside--note" aria-label="note"><p>Asides keep working.</p></aside>',
  '<aside class="starlight-aside starlight-aside--tip" aria-label="Did you know?"><p>Labels too.</p></aside>',
  '<astro-segment data-when="audience=customer"><aside class="starlight-aside starlight-aside--caution" aria-label="caution"><p>Inside a segment.</p></aside></astro-segment>',
].join('\n');

describe('coexisting with Starlight (remark-directive + asides)', () => {
  async function render(order: 'directive-first' | 'segments-first'): Promise<string> {
    const processor = unified().use(remarkParse);
    if (order === 'directive-first') processor.use(remarkDirective).use(remarkAsides).use(remarkSegments, site);
    else processor.use(remarkSegments, site).use(remarkDirective).use(remarkAsides);
    const file = new VFile({ value: starlightPage, data: { astro: { frontmatter: page() } } });
    return String(await processor.use(remarkRehype).use(rehypeStringify).process(file));
  }

  it('keeps asides, prose and segments when remark-directive is added first', async () => {
    const html = await render('directive-first');
    expect(html).toContain(starlightExpected);
  });

  it('keeps asides, prose and segments when remark-segments is added first', async () => {
    const html = await render('segments-first');
    expect(html).toContain(starlightExpected);
  });

  it('does not register the directive syntax a second time after remark-directive', () => {
    const processor = unified().use(remarkParse).use(remarkDirective).use(remarkSegments);
    processor.freeze();
    const data = processor.data();
    expect(data.micromarkExtensions).toHaveLength(1);
    expect(data.fromMarkdownExtensions).toHaveLength(1);
  });

  it('registers the directive syntax when nobody else did', () => {
    const processor = unified().use(remarkParse).use(remarkSegments);
    processor.freeze();
    expect(processor.data().micromarkExtensions).toHaveLength(1);
    expect(processor.data().fromMarkdownExtensions).toHaveLength(1);
  });
});

describe('directives the plugin does not own', () => {
  async function tree(markdown: string): Promise<Root> {
    const processor = unified().use(remarkParse).use(remarkSegments, { requireDeclaration: false });
    return processor.run(processor.parse(markdown), new VFile(markdown));
  }

  it('leaves directives with a label or attributes to their owners', async () => {
    const result = await tree('An :abbr[HTML]{title="HyperText"} and :kbd[Ctrl].\n\n::youtube{id="x"}\n\n:::note\nx\n:::\n');
    const kinds: string[] = [];
    visit(result, (node) => {
      if (node.type === 'textDirective' || node.type === 'leafDirective' || node.type === 'containerDirective') kinds.push(`${node.type}:${node.name}`);
    });
    expect(kinds).toEqual(['textDirective:abbr', 'textDirective:kbd', 'leafDirective:youtube', 'containerDirective:note']);
  });

  it('merges restored prose into the surrounding text', async () => {
    const result = await tree('At 10:30 and 11:45.\n');
    expect(result.children[0]).toMatchObject({
      type: 'paragraph',
      children: [{ type: 'text', value: 'At 10:30 and 11:45.', position: { start: { offset: 0 }, end: { offset: 19 } } }],
    });
  });

  it('rebuilds the text from the tree when the source is not available', async () => {
    const processor = unified().use(remarkParse).use(remarkSegments, { requireDeclaration: false });
    const parsed = processor.parse('Meet at re:Invent.\n\n::leaf\n');
    const result = await processor.run(parsed, new VFile());
    expect(result.children).toMatchObject([
      { type: 'paragraph', children: [{ type: 'text', value: 'Meet at re:Invent.' }] },
      { type: 'paragraph', children: [{ type: 'text', value: '::leaf' }] },
    ]);
  });
});

describe('standalone use', () => {
  it('compiles blocks without the dimensions option and without frontmatter', async () => {
    const html = await toHtml(':::segment{anything="goes" plan="!free"}\nHi\n:::\n', { options: { requireDeclaration: false } });
    expect(html).toBe('<astro-segment data-when="anything=goes;plan!=free"><p>Hi</p></astro-segment>');
  });

  it('still checks names against the dimensions option when requireDeclaration is false', async () => {
    await expect(toHtml(':::segment{plan="pro"}\nHi\n:::\n', { options: { ...site, requireDeclaration: false } })).rejects.toThrow(
      'uses the dimension "plan", which the site does not declare',
    );
  });

  it('skips the page checks but still marks the page when requireDeclaration is false', async () => {
    const html = await toHtml(':::segment{region="eu"}\nHi\n:::\n', {
      options: { requireDeclaration: false },
      frontmatter: page(['audience']),
    });
    expect(html).toMatch(/^<astro-segments-page data-config="[^"]+"><\/astro-segments-page>\n<astro-segment data-when="region=eu">/);
  });

  it('accepts null options', async () => {
    const processor = unified().use(remarkParse).use(remarkSegments, null).use(remarkRehype).use(rehypeStringify);
    const file = new VFile({ value: ':::segment{audience="customer"}\nHi\n:::\n', data: { astro: { frontmatter: page() } } });
    expect(String(await processor.process(file))).toContain('<astro-segment data-when="audience=customer">');
  });

  it('writes blocks back as directives with remark-stringify, and the page marker as nothing', async () => {
    const processor = unified().use(remarkParse).use(remarkSegments).use(remarkStringify);
    const file = new VFile({ value: ':::segment{audience="customer"}\nAt 10:30.\n:::\n', data: { astro: { frontmatter: page() } } });
    expect(String(await processor.process(file)).trim()).toBe(':::segment{audience="customer"}\nAt 10\\:30.\n:::');
  });
});

describe('frontmatter and the page marker', () => {
  async function marker(data: Record<string, unknown>, path?: string, root?: string): Promise<unknown> {
    const processor = unified().use(remarkParse).use(remarkSegments, { root });
    const file = new VFile({ value: 'Text.\n', path, data });
    const tree = await processor.run(processor.parse(file), file);
    const first = tree.children[0];
    if (first?.type !== 'segmentsPage') return undefined;
    expect(first.data.hName).toBe('astro-segments-page');
    return JSON.parse(first.data.hProperties.dataConfig);
  }

  const segments = { dimensions: ['audience'], purpose: 'p', kpi: 'k' };

  it('reads Astro frontmatter (file.data.astro.frontmatter) and adds the file and head fields', async () => {
    expect(await marker({ astro: { frontmatter: { title: 'T', description: 'D', image: { src: 'x' }, segments } } }, '/site/src/pages/a.md', '/site')).toEqual({
      file: 'src/pages/a.md',
      head: { title: 'T', description: 'D' },
      ...segments,
    });
  });

  it('never puts an absolute path of the build machine in the marker', async () => {
    expect(await marker({ astro: { frontmatter: { segments } } }, '/elsewhere/a.md', '/site')).toEqual({ file: 'a.md', ...segments });
  });

  it('falls back to file.data.matter and file.data.frontmatter', async () => {
    expect(await marker({ matter: { segments } })).toEqual({ file: null, ...segments });
    expect(await marker({ frontmatter: { segments } })).toEqual({ file: null, ...segments });
  });

  it('emits no marker without a segments object', async () => {
    expect(await marker({ astro: { frontmatter: { title: 'T' } } })).toBeUndefined();
    expect(await marker({})).toBeUndefined();
  });
});

describe('errors', () => {
  it('are fatal vfile messages with a position, a source and a ruleId', async () => {
    const file = new VFile({ value: 'Hi\n\n:::segment{plan="pro"}\nx\n:::\n', path: 'src/pages/pricing.md' });
    const processor = unified().use(remarkParse).use(remarkSegments, site).use(remarkRehype).use(rehypeStringify);
    await expect(processor.process(file)).rejects.toMatchObject({
      fatal: true,
      source: 'remark-segments',
      ruleId: 'unknown-dimension',
      file: 'src/pages/pricing.md',
      place: { start: { line: 3, column: 1 }, end: { line: 5, column: 4 } },
    });
    expect(file.messages).toHaveLength(1);
  });
});

describe('condition helpers', () => {
  it('are re-exported and round-trip through the serialized form', () => {
    const condition = parseCondition({ audience: 'customer, partner', region: '!eu' });
    expect(serializeCondition(condition)).toBe('audience=customer,partner;region!=eu');
    expect(deserializeCondition(serializeCondition(condition))).toEqual(condition);
  });
});
