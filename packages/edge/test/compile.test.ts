/**
 * The compiled manifest (compile.ts): what a host bundle receives instead of the
 * manifest. It must decide exactly as the manifest does, including after the
 * JSON round trip of being inlined into a bundle (plain objects again, with a
 * prototype), and it must never throw, whatever it is given.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileManifest, packRoutes, type CompiledManifest } from '../src/compile.ts';
import { decide, decideUnguarded } from '../src/decide.ts';
import type { Manifest } from '../src/index.ts';
import { CHOICE_ITEMS, HASH, oneDimension, ROUTE_PATHS, manifest, signals, withDebug } from './fixture.ts';

/** As a host bundle has it: compiled at build, then inlined as JSON. */
const inlined = (m: Manifest): CompiledManifest => JSON.parse(JSON.stringify(compileManifest(m))) as CompiledManifest;
/** As a large site's host bundle has it: compiled, routes packed, inlined as JSON. */
const packedInline = (m: Manifest): CompiledManifest => JSON.parse(JSON.stringify(packRoutes(compileManifest(m)))) as CompiledManifest;

const request = fc.record({
  path: fc.constantFrom(...ROUTE_PATHS),
  choice: fc.array(fc.constantFrom(...CHOICE_ITEMS), { maxLength: 3 }),
  preview: fc.array(fc.constantFrom(...CHOICE_ITEMS), { maxLength: 2 }),
  utm: fc.constantFrom('', 'utm_source=partner-portal', 'utm_campaign=Spring-Sale', 'utm_medium=cpc'),
  cookie: fc.constantFrom(
    '',
    'session=1',
    '__Host-segment=audience:customer|region:na',
    '__Host-segment=constructor|audience:__proto__',
    'segment=audience:partner',
  ),
  referer: fc.constantFrom('', 'https://www.shop.eu/', 'https://news.example-news.com/x'),
  language: fc.constantFrom('', 'en-GB,en;q=0.8', 'de'),
  gpc: fc.boolean(),
  bot: fc.boolean(),
  prefetch: fc.boolean(),
  https: fc.boolean(),
  country: fc.constantFrom(undefined, 'DE', 'us', 'gb'),
});
type Input = typeof request extends fc.Arbitrary<infer T> ? T : never;

function signalsOf(input: Input, m: Manifest) {
  const query = [
    ...input.choice.map((c) => `segment=${encodeURIComponent(c)}`),
    ...input.preview.map((p) => `segment-preview=${encodeURIComponent(p)}`),
    input.utm,
  ]
    .filter(Boolean)
    .join('&');
  const headers: Record<string, string> = {};
  if (input.cookie) headers.cookie = input.cookie;
  if (input.referer) headers.referer = input.referer;
  if (input.language) headers['accept-language'] = input.language;
  if (input.gpc) headers['sec-gpc'] = '1';
  if (input.bot) headers['user-agent'] = 'Googlebot/2.1';
  if (input.prefetch) headers['sec-purpose'] = 'prefetch';
  return signals(`${input.path}${query ? `?${query}` : ''}`, { headers, https: input.https, platform: { country: input.country } }, m);
}

describe('compileManifest: deciding on the compiled form', () => {
  const holdout: Manifest = { ...manifest, holdout: { share: 0.5, consent: 'consent', cookie: 'segment_group', maxAge: 100 } };

  it.each([
    ['the fixture manifest', manifest],
    ['with debug on', withDebug()],
    ['with a holdout', holdout],
  ])('decides exactly as %s does, compiled, after a JSON round trip, and with its routes packed', (_, m) => {
    const compiled = compileManifest(m);
    const json = inlined(m);
    // Fresh for each request, so every decision unpacks its route (a kept one is the object again).
    fc.assert(
      fc.property(request, (input) => {
        const s = signalsOf(input, m);
        const expected = decide(s, m);
        expect(decide(s, compiled)).toEqual(expected);
        expect(decide(s, json)).toEqual(expected);
        expect(decide(s, packedInline(m))).toEqual(expected);
      }),
      { numRuns: 600 },
    );
  });

  it('never lets a name Object.prototype has reach a decision or the cookie, after a JSON round trip', () => {
    const json = inlined(manifest);
    for (const item of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const d = decide(signals(`/?segment=${item}`), json)!;
      expect(d.values, item).toEqual({ audience: 'prospect' });
      expect(d.setCookie, item).toBeUndefined();
      expect(d.headers['Cache-Control'], item).toBe('private, no-cache');
    }
  });
});

describe('compileManifest: what it works out once', () => {
  it('looks a choice up by `dim:value`, and by bare value only when one dimension declares it', () => {
    const { pairs } = compileManifest(manifest);
    expect(pairs['audience:customer']).toBe('audience');
    expect(pairs.customer).toBe('audience');
    // `other` is a region value and a campaign value.
    expect(pairs['region:other']).toBe('region');
    expect(Object.hasOwn(pairs, 'other')).toBe(false);
  });

  it('turns each page into dimension positions and the hashes of its variant files by combination number', () => {
    const { routes, dimensions } = compileManifest(manifest);
    expect(routes['/pricing']!.dims.map((i) => dimensions[i]!.name)).toEqual(['audience', 'region']);
    // The combination's values as digits: customer's position among the audiences, then eu's among the regions.
    const audience = dimensions.find((d) => d.name === 'audience')!.values.map(([name]) => name);
    const region = dimensions.find((d) => d.name === 'region')!.values.map(([name]) => name);
    const number = audience.indexOf('customer') * region.length + region.indexOf('eu');
    expect(routes['/pricing']!.files[number]).toBe(HASH.customer_eu);
    expect(decide(signals('/pricing?segment=customer,eu'), manifest)!.path).toBe(`/_segments/${HASH.customer_eu}.html`);
  });

  it("numbers a combination in the route's own order of dimensions, whatever the manifest's order", () => {
    // The manifest declares audience before region; this page varies on region first.
    const m: Manifest = {
      ...manifest,
      routes: { '/x': { dims: ['region', 'audience'], variants: { 'eu/customer': HASH.customer_eu, 'na/prospect': HASH.partner_eu } } },
    };
    expect(decide(signals('/x?segment=customer,eu', {}, m), m)!.path).toBe(`/_segments/${HASH.customer_eu}.html`);
    expect(decide(signals('/x?segment=prospect,na', {}, m), m)!.path).toBe(`/_segments/${HASH.partner_eu}.html`);
    expect(decide(signals('/x?segment=customer,na', {}, m), m)!.path).toBeNull();
  });

  it('compiles a site of many pages to fewer bytes than its manifest (a Worker parses them at each cold start)', () => {
    const routes = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`/docs/${i}`, manifest.routes['/pricing']!]));
    const big: Manifest = { ...manifest, routes };
    expect(JSON.stringify(compileManifest(big)).length).toBeLessThan(JSON.stringify(big).length * 0.7);
  });

  it('leaves out variant entries that are not content hashes', () => {
    const m: Manifest = {
      ...manifest,
      routes: { '/': { dims: ['audience'], variants: { customer: '../../etc/passwd', partner: 'ABCDEF12', prospect: 'abcdef12' } } },
    };
    const prospect = manifest.dimensions.find((d) => d.name === 'audience')!.values.findIndex((v) => v.name === 'prospect');
    expect(compileManifest(m).routes['/']!.files).toEqual({ [prospect]: 'abcdef12' });
  });

  it('compiles a page with an undeclared dimension, or a default that is not a value, to null and keeps the others', () => {
    const m = {
      ...manifest,
      dimensions: [...manifest.dimensions, { name: 'broken', default: 'nope', values: [{ name: 'yes', rules: [] }] }],
      routes: { ...manifest.routes, '/x': { dims: ['plan'], variants: {} }, '/y': { dims: ['broken'], variants: {} }, '/z': { dims: {}, variants: {} } },
    } as unknown as Manifest;
    const { routes } = compileManifest(m);
    expect([routes['/x'], routes['/y'], routes['/z']]).toEqual([null, null, null]);
    expect(routes['/pricing']).not.toBeNull();
    // Such a page passes through (the page as it is, as the callers' guard would serve it).
    expect(decideUnguarded(signals('/x'), m)).toBeNull();
    expect(decide(signals('/x'), m)).toBeNull();
    expect(decide(signals('/pricing'), m)).not.toBeNull();
  });

  it('leaves out pages under the variant files’ prefix', () => {
    const m: Manifest = { ...manifest, routes: { ...manifest.routes, '/_segments/x': { dims: ['audience'], variants: {} } } };
    expect(Object.keys(compileManifest(m).routes)).not.toContain('/_segments/x');
  });

  it('compiles a manifest of another version, or with malformed shared parts, to no pages', () => {
    for (const m of [{ ...manifest, version: 2 }, { ...manifest, dimensions: null }, { ...manifest, routes: 7 }, null, 'x', {}]) {
      expect(compileManifest(m as unknown as Manifest).routes).toEqual({});
    }
  });

  it('turns a field it does not know, and an `is` that is not a list, into a condition that never holds', () => {
    const m: Manifest = oneDimension([{ continent: { is: ['eu'] } } as never, { utm_source: { is: 'a' as never } }], {});
    const [on] = compileManifest(m).dimensions[0]!.values;
    expect(on![1]).toEqual([[['', 'until', 0]], [['', 'until', 0]]]);
    expect(decide(signals('/?utm_source=a', { platform: { country: 'de' } }), m)!.values).toEqual({ x: 'off' });
  });

  it('compiles `domain` to the name with a leading dot', () => {
    const m: Manifest = oneDimension([{ referrer: { domain: 'producthunt.com' } }], {});
    expect(compileManifest(m).dimensions[0]!.values[0]![1]).toEqual([[['referrer', 'domain', '.producthunt.com']]]);
  });

  it('never throws, whatever it is given', () => {
    const anyManifest = fc.oneof(
      fc.anything(),
      fc.record(Object.fromEntries(Object.entries(manifest).map(([k, v]) => [k, fc.oneof(fc.constant(v), fc.anything())]))),
    );
    fc.assert(
      fc.property(anyManifest, (m) => {
        expect(() => compileManifest(m as Manifest)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
