/**
 * A large site's route table (packed.ts): every route in one string, searched on
 * each request and never parsed. Whatever the keys and wherever they sort, it must
 * find exactly the routes the compiled manifest has, and the router must decide on
 * it exactly as on the unpacked manifest, for any path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileManifest, packRoutes, type CompiledManifest, type CompiledRoute } from '../src/compile.ts';
import { decide } from '../src/decide.ts';
import type { Manifest, Signals } from '../src/index.ts';
import { findRoute } from '../src/packed.ts';
import { HASH, manifest, signals } from './fixture.ts';

/**
 * Keys that sort next to each other in every way a search can trip on: prefixes of one
 * another (`/a`, `/a/`, `/a/b`), a character before and after `/` (`/a-b`, `/a0`), upper
 * case before lower, a character below the separators, Latin-1, percent signs kept as
 * they are (a page whose file name holds them), other scripts, and a surrogate pair (the
 * last key by code units). `/a/` is not a key the build writes (routeKey never asks for
 * it), but the table must order it all the same.
 */
const KEYS = [
  '/',
  '/a',
  '/a/',
  '/a/b',
  '/a/b/c',
  '/a-b',
  '/a0',
  '/ab',
  '/abc',
  '/A',
  '/Z',
  '/a\u0001',
  '/a b',
  '/~',
  '/cafe',
  '/café',
  '/caf%C3%A9',
  '/100%25',
  '/日本語',
  '/日本',
  '/😀',
  '/\u{10FFFF}',
];

/**
 * Paths listed nowhere: between two keys, after the last, a prefix or an extension of one, one
 * holding a separator. (Not `''`: the table's own key, which routeKey never asks for.)
 */
const ABSENT = ['/a/a', '/a/b/', '/aa', '/a.b', '/B', '/caf', '/café/x', '/日', '/😀x', '/\u{10FFFF}\u{10FFFF}', '/a\u0000', '/a\u001f', '/a\u001e/a/b', '/b'];

/** A route per key, each with its own file, so a route found under the wrong key shows. */
const hash = (n: number) => `h${String(n).padStart(7, '0')}`;
const site = (keys: readonly string[]): Manifest => ({
  ...manifest,
  routes: Object.fromEntries(keys.map((key, n) => [key, { dims: ['audience'], variants: { customer: hash(n), partner: hash(n + 100) } }])),
});

/** As a large site's host bundle has it: compiled, routes packed, inlined (a JSON round trip, as esbuild reads it). */
const packedInline = (m: Manifest): CompiledManifest => JSON.parse(JSON.stringify(packRoutes(compileManifest(m)))) as CompiledManifest;

/** A customer's request for `path`, as received: the path is whatever the host hands over, not only what a URL parser writes. */
const customer = (path: string): Signals => ({ ...signals('/?segment=customer'), path });

describe('the route table: every route of a large site in one string', () => {
  it('finds every key wherever it sorts, whatever order the routes were listed in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(KEYS, { minLength: 1 }), (keys) => {
        const compiled = compileManifest(site(keys));
        const packed = packedInline(site(keys));
        for (const key of keys) expect(findRoute(packed.routes, key), key).toEqual(compiled.routes[key]);
        for (const key of [...KEYS.filter((k) => !keys.includes(k)), ...ABSENT]) expect(findRoute(packed.routes, key), key).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('finds the first and the last key, and nothing before, between or after them', () => {
    const routes = packedInline(site(KEYS)).routes;
    const sorted = [...KEYS].sort();
    expect(findRoute(routes, sorted[0]!)).toEqual({ dims: [0], files: expect.any(Object) });
    expect(findRoute(routes, sorted.at(-1)!)).toEqual({ dims: [0], files: expect.any(Object) });
    // `/a/a` sorts between `/a/` and `/a/b`, both listed.
    expect(sorted.indexOf('/a/b') - sorted.indexOf('/a/')).toBe(1);
    for (const key of ABSENT) expect(findRoute(routes, key), JSON.stringify(key)).toBe(false);
    // A path that spells out `/a`'s whole entry and the next key: a search that read past a key's end would find it.
    expect(sorted[sorted.indexOf('/a') + 1]).toBe('/a\u0001');
    expect(findRoute(routes, '/a\x1f0;0=h0000001,1=h0000101\x1e/a\u0001')).toBe(false);
  });

  it('keeps a route it found under its key, once, and never a path it did not find', () => {
    const routes = packedInline(site(KEYS)).routes;
    const before = Object.keys(routes);
    for (const key of ABSENT) findRoute(routes, key);
    expect(Object.keys(routes)).toEqual(before);
    const found = findRoute(routes, '/café');
    expect(Object.keys(routes)).toEqual([...before, '/café']);
    expect(findRoute(routes, '/café')).toBe(found);
  });

  it('ends its search on any string, a table or not (a caller’s corrupt manifest), without throwing', () => {
    const text = fc.string({ unit: fc.constantFrom('/', 'a', 'b', '0', ';', '=', ',', '.', '\x1e', '\x1f'), maxLength: 40 });
    fc.assert(
      fc.property(text, text, (table, key) => {
        expect(() => findRoute({ '': table }, key)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });

  it('decides exactly as the unpacked manifest does, on any path', () => {
    const m = site(KEYS);
    const compiled = compileManifest(m);
    const forms = (key: string) => [key, `${key}/`, `${key}.html`, `${key}/index.html`, encodeURI(key), encodeURIComponent(key).replaceAll('%2F', '/')];
    const path = fc.oneof(
      fc.constantFrom(...KEYS.flatMap(forms), ...ABSENT.flatMap(forms), '/_segments/h0000001.html', '/%E0%A4%A'),
      fc.string({ unit: 'binary', maxLength: 12 }).map((s) => `/${s}`),
      fc.tuple(fc.constantFrom(...KEYS), fc.string({ unit: 'binary', maxLength: 3 })).map(([key, s]) => key + s),
      fc.tuple(fc.constantFrom(...KEYS), fc.nat()).map(([key, n]) => key.slice(0, n % (key.length + 1))),
    );
    fc.assert(
      fc.property(path, (p) => {
        const expected = decide(customer(p), m);
        expect(decide(customer(p), compiled)).toEqual(expected);
        // Fresh, so this request searches the table; then again, from what it kept.
        const packed = packedInline(m);
        expect(decide(customer(p), packed)).toEqual(expected);
        expect(decide(customer(p), packed)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
    // The properties above are about something: each listed key is personalized, each with its own file.
    for (const [n, key] of KEYS.entries())
      if (key !== '/a/') expect(decide(customer(encodeURI(key)), packedInline(m))?.path, key).toBe(`/_segments/${hash(n)}.html`);
  });
});

describe('packRoutes: a large site’s routes in one table', () => {
  const one = (route: CompiledRoute): CompiledManifest => ({ ...compileManifest(manifest), routes: { '/x': route } });

  it('writes each route as its key, U+001F, its dimension positions, then each combination’s file (once), U+001E; sorted by key', () => {
    const packed = packRoutes(one({ dims: [0, 1], files: { 0: 'a1b2c3', 3: 'd4e5f6', 6: 'd4e5f6' } }));
    expect(packed.routes).toEqual({ '': '/x\x1f0.1;!a1b2c3,,,!d4e5f6,,,^3\x1e' });
    // Twelve base-36 characters, the names the integration writes, as ten characters.
    const named = packRoutes(one({ dims: [0], files: { 1: '000000000000', 2: 'zzzzzzzzzzzz' } }));
    const [key, route] = named.routes['']!.slice(0, -1).split('\x1f');
    const [dims, entries] = route!.split(';');
    expect([key, dims, entries!.split(',').map((entry) => entry.length)]).toEqual(['/x', '0', [0, 10, 10]]);
    expect(entries).not.toMatch(/[\^!]/);
    const two = { ...one({ dims: [2], files: {} }), routes: { '/y': { dims: [2], files: {} }, '/x': null } };
    expect(packRoutes(two).routes).toEqual({ '': '/x\x1f\x1e/y\x1f2;\x1e' });
  });

  it('unpacks exactly the compiled route', () => {
    const route = fc.record({
      dims: fc.array(fc.nat({ max: 9 }), { minLength: 1, maxLength: 4 }),
      files: fc.dictionary(
        fc.nat({ max: 500 }).map(String),
        fc.oneof(fc.constantFrom('a1b2c3', 'd4e5f6', '0123456789abcdef', '000000000000', 'zzzzzzzzzzzz'), fc.stringMatching(/^[0-9a-z]{12}$/)),
      ),
    });
    fc.assert(
      fc.property(route, (compiled) => {
        expect(findRoute({ ...packRoutes(one(compiled)).routes }, '/x')).toEqual(compiled);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a key that holds a separator of the table', () => {
    for (const key of ['/a\x1fb', '/a\x1e']) {
      expect(() => packRoutes({ ...compileManifest(manifest), routes: { [key]: { dims: [0], files: {} } } })).toThrow(/U\+001E or U\+001F/);
    }
  });

  it('keeps a route that did not compile: the router passes it through, and serves the other pages', () => {
    const m = { ...manifest, routes: { ...manifest.routes, '/x': { dims: ['plan'], variants: {} } } } as unknown as Manifest;
    const packed = packedInline(m);
    expect(findRoute(packed.routes, '/x')).toBeNull();
    expect(decide(signals('/x?segment=customer'), packed)).toBeNull();
    expect(decide(signals('/pricing?segment=customer,eu'), packed)!.path).toBe(`/_segments/${HASH.customer_eu}.html`);
  });

  it('packs a site of many pages to fewer bytes than the compiled form', () => {
    const routes = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`/docs/${i}`, manifest.routes['/pricing']!]));
    const compiled = compileManifest({ ...manifest, routes });
    expect(JSON.stringify(packRoutes(compiled)).length).toBeLessThan(JSON.stringify(compiled).length * 0.8);
  });
});
