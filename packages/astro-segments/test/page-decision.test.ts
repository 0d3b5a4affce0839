/**
 * The decision for a rendered page (on-demand pages, `astro dev`): the router's
 * answer for the page's dimensions, with the manifest made and compiled once
 * per list of dimensions, not per request.
 */
import { describe, expect, it } from 'vitest';
import { compiled } from '../../edge/src/compiled.ts';
import { manifestFor } from '../src/compile-site.ts';
import { pageDecision, pageManifest } from '../src/request/page-decision.ts';
import { validateOptions } from '../src/validate-options.ts';

const options = validateOptions({
  dimensions: {
    audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' } }, prospect: {} } },
    region: { default: 'other', values: { eu: { when: { country: ['DE'] } }, other: {} } },
  },
});
const manifest = manifestFor(options, '', {});

const request = (headers: Record<string, string> = {}) => ({ method: 'GET', url: 'https://example.com/page', headers: new Headers(headers) });

describe('pageDecision', () => {
  it('decides each dimension as the router does', () => {
    const page = pageDecision(request({ cookie: 'session=1' }), 'DE', manifest, options);
    expect({ ...page.segments }).toEqual({ audience: 'customer', region: 'eu' });
    expect(page.decide(['audience'])?.values).toEqual({ audience: 'customer' });
    expect(pageDecision(request(), undefined, manifest, options).decide(['region'])?.values).toEqual({ region: 'other' });
  });

  it('compiles the manifest of a page once per list of dimensions, not per request', () => {
    const first = pageManifest(manifest, ['audience']);
    expect(pageManifest(manifest, ['audience'])).toBe(first);
    expect(compiled(pageManifest(manifest, ['audience']))).toBe(compiled(first));
    expect(pageManifest(manifest, ['audience', 'region'])).not.toBe(first);
    expect(pageManifest(manifest, ['audience', 'region']).routes['/']!.dims).toEqual(['audience', 'region']);
  });
});
