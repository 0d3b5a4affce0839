import { describe, expect, it } from 'vitest';
import { findMarkers } from '../src/markers.ts';
import type { PageConfig } from '../src/page-config.ts';
import { applyHeadOverrides, assignments, insertInHead, renderAssignment, resolveBlocks, versionKey } from '../src/slice.ts';
import { validateOptions } from '../src/validate-options.ts';

const { dimensions } = validateOptions({
  dimensions: {
    audience: { default: 'prospect', values: { customer: {}, partner: {}, prospect: {} } },
    campaign: { default: 'none', values: { spring: {}, none: {} } },
  },
});
const page: PageConfig = { file: null, dimensions: ['audience', 'campaign'], purpose: 'p', kpi: 'k', head: {}, overrides: [] };

function render(html: string, assignment: Record<string, string>, config = page) {
  const markers = findMarkers(html);
  return applyHeadOverrides(renderAssignment(html, markers, resolveBlocks(html, markers, config, dimensions), assignment), config, assignment);
}

const block = (when: string, body: string) => `<astro-segment data-when="${when}">${body}</astro-segment>`;
const otherwise = (body: string) => `<astro-segment data-otherwise="">${body}</astro-segment>`;

describe('otherwise blocks', () => {
  const html = `<p>${block('campaign=spring', 'badge')}${block('audience=customer', 'A')}${block('audience=partner', 'P')}${otherwise('B')}</p>`;

  it('close only the adjacent run deciding the same dimension', () => {
    expect(render(html, { audience: 'prospect', campaign: 'spring' })).toBe('<p>badgeB</p>');
    expect(render(html, { audience: 'customer', campaign: 'spring' })).toBe('<p>badgeA</p>');
    expect(render(html, { audience: 'partner', campaign: 'none' })).toBe('<p>P</p>');
  });

  it('end their run at any content between blocks', () => {
    const separated = `${block('audience=customer', 'A')}<hr>${block('audience=partner', 'P')}${otherwise('B')}`;
    expect(render(separated, { audience: 'customer', campaign: 'none' })).toBe('A<hr>B');
  });

  it('fail when nothing comes before them', () => {
    expect(() => render(`<p>x</p>${otherwise('B')}`, { audience: 'prospect', campaign: 'none' })).toThrow(/does not follow a segment block/);
  });
});

describe('removing markers', () => {
  it('takes the line of a hidden block that stands on lines of its own', () => {
    const html = `<p>a</p>\n<astro-segment data-when="audience=customer">\n<p>b</p>\n</astro-segment>\n<p>c</p>`;
    expect(render(html, { audience: 'prospect', campaign: 'none' })).toBe('<p>a</p>\n<p>c</p>');
    expect(render(html, { audience: 'customer', campaign: 'none' })).toBe('<p>a</p>\n<p>b</p>\n<p>c</p>');
  });

  it('reads attributes holding raw angle brackets and character references', () => {
    const config = '{&#x22;dimensions&#x22;:[&#x22;audience&#x22;],&#x22;purpose&#x22;:&#x22;a <b> &#x26; c&#x22;}';
    const markers = findMarkers(`<astro-segments-page data-config="${config}"></astro-segments-page><p>x</p>`);
    expect(JSON.parse(markers.pages[0]!.config)).toEqual({ dimensions: ['audience'], purpose: 'a <b> & c' });
  });

  it('refuses nested and unclosed blocks', () => {
    expect(() => findMarkers(block('audience=customer', block('audience=partner', 'x')))).toThrow(/cannot be nested/);
    expect(() => findMarkers('<astro-segment data-when="audience=customer">x')).toThrow(/never closed/);
  });
});

describe('head overrides', () => {
  const html = '<html><head><title>Pricing | Site</title><meta name="description" content="Plans &amp; prices"></head><body><h1>Pricing</h1></body></html>';
  const config: PageConfig = {
    ...page,
    head: { title: 'Pricing', description: 'Plans & prices' },
    overrides: [{ when: { audience: { values: ['customer'], negate: false } }, fields: { title: 'Your plan', description: 'Upgrade & save' } }],
  };

  it('replace the default value in <title> and meta tags, never in the body', () => {
    expect(render(html, { audience: 'customer', campaign: 'none' }, config)).toBe(
      '<html><head><title>Your plan | Site</title><meta name="description" content="Upgrade &amp; save"></head><body><h1>Pricing</h1></body></html>',
    );
    expect(render(html, { audience: 'prospect', campaign: 'none' }, config)).toBe(html);
  });

  it('fail when the head does not show the default value', () => {
    const other = html.replace('Pricing | Site', 'Something else');
    expect(() => render(other, { audience: 'customer', campaign: 'none' }, config)).toThrow(/does not show the frontmatter title/);
  });

  const titled = (title: string) => ({ ...config, head: { title }, overrides: [{ ...config.overrides[0]!, fields: { title: 'Docs — launch week' } }] });
  const customer = { audience: 'customer', campaign: 'none' };

  it('replace only the page’s own title field when the site name equals the page title', () => {
    const docs = '<html><head><title>Docs | Docs</title></head><body></body></html>';
    expect(render(docs, customer, titled('Docs'))).toBe('<html><head><title>Docs — launch week | Docs</title></head><body></body></html>');
  });

  it('replace the field that is the page title, not the site name that contains it', () => {
    expect(render('<head><title>Acme Docs — Docs</title></head>', customer, titled('Docs'))).toBe('<head><title>Acme Docs — Docs — launch week</title></head>');
    expect(render('<head><title>Docs | Acme Docs</title></head>', customer, titled('Docs'))).toBe('<head><title>Docs — launch week | Acme Docs</title></head>');
  });

  it('fail on a page that renders no <head>, for every variant, naming the fix', () => {
    const bare = '<h1>Pricing</h1><p>Plans.</p>';
    expect(() => render(bare, { audience: 'prospect', campaign: 'none' }, config)).toThrow(/renders no <head>/);
    expect(() => render(bare, customer, config)).toThrow(/renders no <head>/);
  });
});

describe('versionKey', () => {
  it('is the same for two combinations exactly when they render the same page', () => {
    const html = `<html><head><title>Pricing | Site</title></head><body>${block('campaign=spring', 'badge')}${block('audience=partner', 'P')}${otherwise('B')}</body></html>`;
    // Customers see the same blocks as prospects, under their own title.
    const config: PageConfig = {
      ...page,
      head: { title: 'Pricing' },
      overrides: [{ when: { audience: { values: ['customer'], negate: false } }, fields: { title: 'Your plan' } }],
    };
    const markers = findMarkers(html);
    const blocks = resolveBlocks(html, markers, config, dimensions);
    const all = assignments(dimensions).map((assignment) => ({
      key: versionKey(blocks, config, assignment, assignment),
      html: render(html, assignment, config),
    }));
    for (const a of all) for (const b of all) expect(a.key === b.key, `${a.html} / ${b.html}`).toBe(a.html === b.html);
    expect(new Set(all.map((version) => version.html)).size).toBe(6);
  });
});

it('enumerates every combination, defaults first', () => {
  const all = assignments(dimensions);
  expect(all).toHaveLength(6);
  expect(all[0]).toEqual({ audience: 'prospect', campaign: 'none' });
});

describe('insertInHead', () => {
  it('adds tags at the end of <head>', () => {
    expect(insertInHead('<!DOCTYPE html><html><head><title>t</title></head><body></body></html>', '<meta x>')).toBe(
      '<!DOCTYPE html><html><head><title>t</title><meta x></head><body></body></html>',
    );
  });

  it('puts them after the doctype of a page without <head>, never before it', () => {
    expect(insertInHead('<!DOCTYPE html><meta charset="utf-8"><h1>x</h1>', '<meta x>')).toBe('<!DOCTYPE html><meta x><meta charset="utf-8"><h1>x</h1>');
    expect(insertInHead('<p>fragment</p>', '<meta x>')).toBe('<meta x><p>fragment</p>');
  });
});
