/**
 * The island-script rules on hand-written pages, for what real Astro output
 * (test/islands.test.ts) cannot show: a site's own scripts are never taken for
 * Astro's, a page without islands is left alone, and a script the slicer cannot
 * find fails the build instead of shipping an island that never hydrates.
 */
import { describe, expect, it } from 'vitest';
import { placeIslandScripts } from '../src/islands.ts';
import { findMarkers } from '../src/markers.ts';
import type { PageConfig } from '../src/page-config.ts';
import { renderAssignment, resolveBlocks } from '../src/slice.ts';
import { validateOptions } from '../src/validate-options.ts';

const { dimensions } = validateOptions({
  dimensions: { plan: { default: 'free', values: { member: {}, free: {} } } },
});
const page: PageConfig = { file: null, dimensions: ['plan'], purpose: 'p', kpi: 'k', head: {}, overrides: [] };

function render(html: string, plan: string): string {
  const markers = findMarkers(html);
  return renderAssignment(html, markers, resolveBlocks(html, markers, page, dimensions), { plan });
}

// Shaped like Astro's (astro/dist/runtime/server/scripts.js), shortened.
const STYLES = '<style>astro-island,astro-slot,astro-static-slot{display:contents}</style>';
const LOAD =
  '<script>(()=>{var e=async t=>{await(await t())()};(self.Astro||(self.Astro={})).load=e;window.dispatchEvent(new Event("astro:load"));})();</script>';
const RUNTIME = '<script>(()=>{class f extends HTMLElement{};customElements.get("astro-island")||customElements.define("astro-island",f)})();</script>';
const island = (label: string) => `<astro-island uid="${label}" props="{&quot;n&quot;:[0,1]}" client="load"><b>${label}</b></astro-island>`;
const member = (body: string) => `<astro-segment data-when="plan=member">${body}</astro-segment>`;
const otherwise = (body: string) => `<astro-segment data-otherwise="">${body}</astro-segment>`;

describe('island scripts between blocks', () => {
  it("do not separate an otherwise block from its run, but a site's own inline script does", () => {
    const hoisted = `${member('<p>meter</p>')}${STYLES}${LOAD}${RUNTIME}${otherwise(island('free'))}`;
    expect(render(hoisted, 'free')).toBe(`${STYLES}${LOAD}${RUNTIME}${island('free')}`);
    expect(render(hoisted, 'member')).toBe('<p>meter</p>');
    const own = `${member('<p>meter</p>')}<script>window.ready = true;</script>${otherwise('<p>free</p>')}`;
    expect(() => render(own, 'free')).toThrow(/does not follow a segment block/);
  });
});

describe('placeIslandScripts', () => {
  it('returns a page without islands as it is', () => {
    const html = `<p>a</p>${STYLES}<script>window.x = "astro:load";</script>`;
    expect(placeIslandScripts(html, html)).toEqual({ html });
  });

  it('writes the scripts a version lost with a hidden block right before its first island', () => {
    const html = `${member(`${STYLES}${LOAD}${RUNTIME}${island('m')}`)}<p>all</p>${island('all')}`;
    expect(render(html, 'free')).toBe(`<p>all</p>${STYLES}${LOAD}${RUNTIME}${island('all')}`);
    expect(render(html, 'member')).toBe(`${STYLES}${LOAD}${RUNTIME}${island('m')}<p>all</p>${island('all')}`);
  });

  it('fails, naming the directive, when a version shows an island whose script the page does not hold', () => {
    const html = `${member(`${STYLES}${RUNTIME}${island('m')}`)}${otherwise('<p>free</p>')}`;
    expect(() => render(html, 'member')).toThrow(/client:load shows in a version of this page, but astro-segments found no client:load script/);
  });
});
