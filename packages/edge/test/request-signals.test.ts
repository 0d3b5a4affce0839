/**
 * The per-request side of the compiled router: `RequestSignals` reads only what
 * a decision asks for, and the readers that replaced a parse or a regular
 * expression per request (path and query by position, the named-cookie search,
 * the crawler words, the country letters, the route key) agree with the
 * implementations they replaced, which are kept here as references.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBot } from '../src/bots.ts';
import { cookieValue } from '../src/cookie.ts';
import { decideUnguarded, routeKey } from '../src/decide.ts';
import { RequestSignals, type Manifest } from '../src/index.ts';
import { NOW, manifest } from './fixture.ts';

/** A Request whose header reads are recorded. */
function recorded(url: string, headers: Record<string, string>): { request: Request; read: string[] } {
  const read: string[] = [];
  const real = new Headers(headers);
  const request = new Request(url, { headers: real });
  const watched = new Proxy(request, {
    get(target, key) {
      if (key === 'headers') return { get: (name: string) => (read.push(name), real.get(name)) };
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { request: watched, read };
}

const EVERY_HEADER = {
  cookie: 'session=1; __Host-segment=audience:partner',
  referer: 'https://www.shop.eu/',
  'accept-language': 'en-GB',
  'user-agent': 'Mozilla/5.0',
  'sec-gpc': '0',
  dnt: '0',
  'sec-purpose': 'prefetch',
};

describe('RequestSignals: only what the decision needs', () => {
  it('reads no header of a request for a page that is not personalized', () => {
    const { request, read } = recorded('https://shop.example/about?segment=customer&utm_source=partner-portal', EVERY_HEADER);
    expect(decideUnguarded(new RequestSignals(request, manifest, { country: 'DE' }, NOW), manifest)).toBeNull();
    expect(read).toEqual([]);
  });

  it('reads neither the Referer nor Accept-Language for a page whose rules do not read them', () => {
    // `/`: audience only (a cookie rule and a utm_source rule).
    const { request, read } = recorded('https://shop.example/?utm_source=newsletter', { ...EVERY_HEADER, cookie: 'theme=dark' });
    expect(decideUnguarded(new RequestSignals(request, manifest, {}, NOW), manifest)).not.toBeNull();
    expect(new Set(read)).toEqual(new Set(['user-agent', 'cookie', 'sec-gpc', 'dnt']));
  });

  it('reads the Cookie header once however many cookies the rules name', () => {
    const m: Manifest = {
      ...manifest,
      dimensions: [
        {
          name: 'x',
          default: 'off',
          values: [
            { name: 'a', rules: [{ cookie: 'one' }] },
            { name: 'b', rules: [{ cookie: 'two' }] },
            { name: 'off', rules: [] },
          ],
        },
      ],
      routes: { '/': { dims: ['x'], variants: {} } },
    };
    const { request, read } = recorded('https://shop.example/', { cookie: 'two=1' });
    expect(decideUnguarded(new RequestSignals(request, m, {}, NOW), m)!.values).toEqual({ x: 'b' });
    expect(read.filter((name) => name === 'cookie')).toHaveLength(1);
  });

  it('reads whether the request is a prefetch only when the response would store a choice', () => {
    const plain = recorded('https://shop.example/pricing', EVERY_HEADER);
    decideUnguarded(new RequestSignals(plain.request, manifest, {}, NOW), manifest);
    expect(plain.read).not.toContain('sec-purpose');
    const chosen = recorded('https://shop.example/pricing?segment=customer', EVERY_HEADER);
    expect(decideUnguarded(new RequestSignals(chosen.request, manifest, {}, NOW), manifest)!.setCookie).toBeUndefined();
    expect(chosen.read).toContain('sec-purpose');
  });
});

describe('RequestSignals: the path and the query found by position', () => {
  const segment = fc.oneof(fc.webSegment(), fc.constantFrom('index.html', 'caf%C3%A9', '%E0%A4%A', 'a b', '..', '.', '%2e', 'a?b', ''));
  const url = fc.record({
    https: fc.boolean(),
    host: fc.constantFrom('shop.example', 'shop.example:8443', '[::1]:3000', 'xn--bcher-kva.example'),
    path: fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
    query: fc.option(fc.webQueryParameters(), { nil: undefined }),
    extra: fc.constantFrom(
      '',
      'segment=customer',
      'segment=a,b&segment=%20c',
      'segment-preview=x+y',
      '%73egment=encoded',
      'segment',
      'utm_source=A&utm_source=b',
      'utm_medium=&utm_campaign=Spring%2DSale',
      'xutm_term=1&utm_term=2',
      'utm_content',
      'segment=&&segment==x',
    ),
  });

  it('gives what the URL parser gives: pathname, scheme, the choice and preview parameters, utm_*', () => {
    fc.assert(
      fc.property(url, (u) => {
        const query = [u.query, u.extra].filter(Boolean).join('&');
        const request = new Request(`${u.https ? 'https' : 'http'}://${u.host}${u.path}${query ? `?${query}` : ''}`);
        const parsed = new URL(request.url);
        const s = new RequestSignals(request, manifest, {}, NOW);
        expect(s.path).toBe(parsed.pathname);
        expect(s.secure).toBe(parsed.protocol === 'https:');
        expect(s.choice).toEqual(
          parsed.searchParams
            .getAll('segment')
            .filter((v) => v.length <= 64)
            .slice(0, 8),
        );
        expect(s.preview).toEqual(
          parsed.searchParams
            .getAll('segment-preview')
            .filter((v) => v.length <= 64)
            .slice(0, 8),
        );
        const utm: Record<string, string> = {};
        for (const key of ['source', 'medium', 'campaign', 'term', 'content']) {
          const value = parsed.searchParams.get(`utm_${key}`);
          if (value && value.length <= 128) utm[key] = value.toLowerCase();
        }
        expect(s.utm).toEqual(utm);
      }),
      { numRuns: 500 },
    );
  });
});

describe('readers that replaced a per-request parse or regular expression', () => {
  /** The Cookie lookup as it was: split the header, compare each trimmed name. */
  const splitCookieValue = (header: string, name: string) => {
    for (const part of header.split(';')) {
      const i = part.indexOf('=');
      if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
    }
    return undefined;
  };
  const latin1 = fc.string({ unit: fc.integer({ min: 0x09, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
  const names = ['session', '__Host-segment', 'segment', 's', 'a=b', 'a;b', ''];

  it('cookieValue finds what splitting the header found', () => {
    const piece = fc.oneof(
      latin1,
      fc.constantFrom(...names),
      fc
        .tuple(
          fc.constantFrom('', ' ', '\t', '\xa0', '  '),
          fc.constantFrom(...names),
          fc.constantFrom('', ' ', '\xa0'),
          fc.constantFrom('=', '==', ''),
          latin1,
        )
        .map((p) => p.join('')),
    );
    const header = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(fc.sample(fc.constantFrom(';', '; ', ' ;'), 1)[0]));
    fc.assert(
      fc.property(header, fc.constantFrom(...names), (h, name) => {
        expect(cookieValue(h, name)).toBe(splitCookieValue(h, name));
      }),
      { numRuns: 3000 },
    );
  });

  it('cookieValue looks at each character of the header a bounded number of times (counted, not timed)', () => {
    // Characters the search passes over: what indexOf and lastIndexOf scan, and what slice copies.
    let scanned = 0;
    const { indexOf, lastIndexOf, slice } = String.prototype;
    const count = (from: number, to: number) => (scanned += Math.abs(to - from));
    String.prototype.indexOf = function (this: string, search: string, position = 0) {
      const found = indexOf.call(this, search, position);
      count(position, found < 0 ? this.length : found);
      return found;
    };
    String.prototype.lastIndexOf = function (this: string, search: string, position = this.length) {
      const found = lastIndexOf.call(this, search, position);
      count(position, Math.max(found, 0));
      return found;
    };
    String.prototype.slice = function (this: string, start?: number, end?: number) {
      const part = slice.call(this, start, end);
      count(0, part.length);
      return part;
    };
    try {
      for (const [header, name] of [
        [`a=${'x'.repeat(16378)}; b=1`, 'x'],
        ['x;'.repeat(8192), 'x'],
        [`${'x '.repeat(8190)};x`, 'x'],
        [`${'session_id=1; '.repeat(1000)}session=2`, 'session'],
      ] as const) {
        scanned = 0;
        cookieValue(header, name);
        expect(scanned, `${header.slice(0, 12)}…`).toBeLessThanOrEqual(8 * header.length);
      }
    } finally {
      Object.assign(String.prototype, { indexOf, lastIndexOf, slice });
    }
  });

  it('isBot finds what /bot|crawl|spider|externalhit/i found', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      latin1,
      fc.constantFrom('GoogleBOT', 'CRAWLer', 'Spıder', 'ſpider', 'externalhİt', 'K-bot', 'facebookexternalhit/1.1'),
    );
    fc.assert(
      fc.property(text, (ua) => {
        expect(isBot(ua)).toBe(/bot|crawl|spider|externalhit/i.test(ua));
      }),
      { numRuns: 3000 },
    );
  });

  it('the country is what /^[a-z]{2}$/i accepted, lower-cased', () => {
    const code = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('DE', 'de', 'dE', 'D1', '\u212Ae', 'ǅe', 'ä1', '[]', '@Z', '`a', '{a'));
    fc.assert(
      fc.property(code, (country) => {
        const s = new RequestSignals(new Request('https://shop.example/'), manifest, { country }, NOW);
        expect(s.country).toBe(country && /^[a-z]{2}$/i.test(country) ? country.toLowerCase() : '');
      }),
      { numRuns: 2000 },
    );
  });

  it('routeKey gives what the regular expression normalization gave', () => {
    /** The route key as it was. */
    const former = (method: string, path: string, m: Manifest) => {
      try {
        path = decodeURIComponent(path).replace(/(\/index)?\.html$|\/$/, '') || '/';
        return !/^(GET|HEAD)$/.test(method) || path.startsWith(m.prefix) || !Object.hasOwn(m.routes, path) ? null : path;
      } catch {
        return 'throws';
      }
    };
    const m: Manifest = {
      ...manifest,
      routes: { ...manifest.routes, '/a/index': { dims: [], variants: {} }, '/b.html': { dims: [], variants: {} }, '/_segments': { dims: [], variants: {} } },
    };
    const path = fc
      .array(fc.constantFrom('', 'pricing', 'index', 'index.html', '.html', 'a', 'b.html', 'caf%C3%A9', '%E0%A4%A', '_segments', '%5Fsegments', 'launch'), {
        maxLength: 4,
      })
      .map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(fc.constantFrom('GET', 'HEAD', 'POST'), path, (method, p) => {
        let now: string | null;
        try {
          now = routeKey(method, p, m);
        } catch {
          now = 'throws';
        }
        // A malformed path now passes through for another method before it is decoded; both are the page as it is.
        expect(now).toBe(method === 'POST' && former(method, p, m) === 'throws' ? null : former(method, p, m));
      }),
      { numRuns: 3000 },
    );
  });
});
