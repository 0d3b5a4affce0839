/**
 * Property tests: for arbitrary requests the router never throws, only ever
 * picks declared files and names, writes a cookie only on an explicit choice,
 * depends on nothing but its Signals, and never echoes request data.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decide, readSignals, serve, type Decision, type Host, type Manifest, type Signals } from '../src/index.ts';
import { CHOICE_ITEMS, NOW, ROUTE_PATHS, declaredPairs, manifest, withDebug } from './fixture.ts';

const UTM = ['partner-portal', 'Partner-Portal', 'spring-sale', 'cpc', 'newsletter'];
const PARAM_KEYS = ['segment', 'segment-preview', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id', 'x'];

/** Any string a header value can hold (Latin-1, no control characters). */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 300 });
const anyText = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 20 }));

const path = fc.oneof(
  fc.constantFrom(...ROUTE_PATHS),
  anyText.map((s) => `/${s}`),
);
const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAM_KEYS), anyText), fc.oneof(fc.constantFrom(...CHOICE_ITEMS, ...UTM), anyText)), {
  maxLength: 12,
});
const cookieHeader = fc.oneof(
  headerText,
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'session=1',
          'session=',
          'session',
          'a=b',
          '__Host-segment=audience:customer|region:na',
          'segment=audience:partner',
          '__Host-segment=audience:vip|customer',
          '__Host-segment=',
        ),
        fc
          .tuple(fc.constantFrom('__Host-segment', 'segment'), fc.array(fc.constantFrom(...declaredPairs, 'nope:x', 'eu'), { maxLength: 4 }))
          .map(([n, v]) => `${n}=${v.join('|')}`),
        headerText,
      ),
      { maxLength: 6 },
    )
    .map((parts) => parts.join('; ')),
);
const headers = fc.record(
  {
    cookie: cookieHeader,
    referer: fc.oneof(fc.constantFrom('https://www.shop.eu/', 'https://news.example-news.com/x', 'not a url'), headerText),
    'accept-language': fc.oneof(fc.constantFrom('en-US,en;q=0.9', 'de;q=0.5, fr', '*', 'en;q=0'), headerText),
    'user-agent': fc.oneof(fc.constantFrom('Mozilla/5.0 Firefox/143.0', 'Googlebot/2.1', 'ClaudeBot/1.0'), headerText),
    'sec-gpc': fc.constantFrom('1', ' 1', '0', 'true'),
    dnt: fc.constantFrom('1', '0'),
  },
  { requiredKeys: [] },
);
const requestInput = fc.record({
  path,
  query,
  headers,
  method: fc.constantFrom('GET', 'GET', 'HEAD', 'POST'),
  https: fc.boolean(),
  country: fc.option(fc.oneof(fc.constantFrom('DE', 'us', 'gb', 'GB', 'xx'), anyText), { nil: undefined }),
  now: fc.integer({ min: NOW - 200 * 86_400_000, max: NOW + 200 * 86_400_000 }),
});
type Input = typeof requestInput extends fc.Arbitrary<infer T> ? T : never;

function toRequest(input: Input, extraHeaders: Record<string, string> = {}): Request {
  const url = new URL(`${input.https ? 'https' : 'http'}://shop.example`);
  url.pathname = input.path;
  for (const [k, v] of input.query) url.searchParams.append(k, v);
  return new Request(url, { method: input.method, headers: { ...input.headers, ...extraHeaders } });
}
const signalsOf = (input: Input, m: Manifest = manifest, extra?: Record<string, string>) =>
  readSignals(toRequest(input, extra), m, { country: input.country }, input.now);

function checkDecision(d: Decision | null, s: Signals, m: Manifest): void {
  if (d === null) return;
  expect(Object.hasOwn(m.routes, d.route)).toBe(true);
  const route = m.routes[d.route]!;
  expect(Object.keys(d.values)).toEqual(route.dims);
  for (const [dim, value] of Object.entries(d.values)) expect(declaredPairs.has(`${dim}:${value}`)).toBe(true);
  if (d.path !== null) {
    const key = route.dims.map((dim) => d.values[dim]).join('/');
    expect(d.path).toBe(`${m.prefix}${route.variants[key]}.html`);
  }
  expect(d.headers['Cache-Control']).toBe(d.setCookie ? 'private, no-store' : 'private, no-cache');
  if (d.setCookie !== undefined) {
    // Only an explicit choice (or reset) writes the cookie, and its value holds only declared names.
    expect(s.choice.length).toBeGreaterThan(0);
    expect(s.bot).toBe(false);
    const match = /^(__Host-)?segment=([^;]*); Path=\/; Max-Age=(\d+); HttpOnly; SameSite=Lax(; Secure)?$/.exec(d.setCookie);
    expect(match).not.toBeNull();
    const [, host, value, maxAge, secure] = match!;
    expect(Boolean(host)).toBe(s.secure);
    expect(Boolean(secure)).toBe(s.secure);
    if (maxAge === '0') expect(value).toBe('');
    else for (const entry of value!.split('|')) expect(declaredPairs.has(entry)).toBe(true);
  }
  if (d.headers['X-Segments'] !== undefined) {
    for (const part of d.headers['X-Segments'].split('; ')) {
      expect(part).toMatch(/^[a-z]+=[a-z]+ \((preview|choice|cookie|rule \d+|default|bot|gpc|dnt|reset)\)$/);
    }
  }
}

describe('properties of readSignals + decide', () => {
  it('never throw, and return null or a declared variant of the matched route', () => {
    fc.assert(
      fc.property(requestInput, fc.boolean(), (input, debug) => {
        const m = debug ? withDebug() : manifest;
        const s = signalsOf(input, m);
        checkDecision(decide(s, m), s, m);
      }),
      { numRuns: 1000 },
    );
  });

  it('write Set-Cookie only when the request carries a choice parameter', () => {
    fc.assert(
      fc.property(requestInput, (input) => {
        const withoutChoice = { ...input, query: input.query.filter(([k]) => k !== 'segment') };
        expect(decide(signalsOf(withoutChoice), manifest)?.setCookie).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('depend only on Signals: equal Signals give equal Decisions', () => {
    fc.assert(
      fc.property(requestInput, (input) => {
        const s = signalsOf(input);
        expect(decide(structuredClone(s), structuredClone(manifest))).toEqual(decide(s, manifest));
      }),
      { numRuns: 300 },
    );
  });

  it('ignore headers they do not declare, including client-sent geo and IP headers', () => {
    const undeclared = fc.dictionary(
      fc.oneof(
        fc.constantFrom('cf-ipcountry', 'x-vercel-ip-country', 'x-forwarded-for', 'x-real-ip', 'x-nf-geo', 'forwarded', 'x-country', 'sec-ch-ua'),
        fc.stringMatching(/^x-[a-z0-9-]{1,16}$/),
      ),
      fc.oneof(headerText, fc.constantFrom('DE', 'us', 'GB', '1', 'en', '203.0.113.7')),
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(requestInput, undeclared, (input, extra) => {
        const plain = signalsOf(input);
        const noisy = signalsOf(input, manifest, extra);
        expect(noisy).toEqual(plain);
        expect(decide(noisy, manifest)).toEqual(decide(plain, manifest));
      }),
      { numRuns: 300 },
    );
  });

  it('decide never throws on arbitrary Signals or an arbitrary manifest', () => {
    const anySignals = fc.record({
      method: fc.oneof(fc.constantFrom('GET', 'HEAD'), fc.anything()),
      path: fc.oneof(fc.constantFrom(...ROUTE_PATHS), fc.anything()),
      secure: fc.anything(),
      choice: fc.oneof(fc.array(fc.constantFrom(...CHOICE_ITEMS)), fc.anything()),
      preview: fc.oneof(fc.array(fc.constantFrom(...CHOICE_ITEMS)), fc.anything()),
      utm: fc.oneof(fc.dictionary(fc.constantFrom('source', 'medium', 'campaign', 'constructor', '__proto__'), fc.string()), fc.anything()),
      referrer: fc.anything(),
      language: fc.anything(),
      country: fc.anything(),
      cookie: fc.oneof(cookieHeader, fc.anything()),
      gpc: fc.anything(),
      dnt: fc.anything(),
      bot: fc.anything(),
      now: fc.anything(),
    });
    const anyManifest = fc.oneof(
      fc.anything(),
      fc.record({
        ...Object.fromEntries(Object.entries(manifest).map(([k, v]) => [k, fc.oneof(fc.constant(v), fc.anything())])),
      }),
    );
    fc.assert(
      fc.property(anySignals, anyManifest, (s, m) => {
        expect(() => decide(s as unknown as Signals, m as unknown as Manifest)).not.toThrow();
        expect(() => decide(s as unknown as Signals, manifest)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe('privacy of serve', () => {
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const;
  let fetchStub: ReturnType<typeof vi.fn>;
  let spies: ReturnType<typeof vi.spyOn>[];

  beforeEach(() => {
    fetchStub = vi.fn(() => {
      throw new Error('the router must not make network calls');
    });
    vi.stubGlobal('fetch', fetchStub);
    spies = consoleMethods.map((name) => vi.spyOn(console, name).mockImplementation(() => {}));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  // Everything a response header may legitimately say. A token that happens to be a substring
  // of it (say "ache") could not prove anything, so it is not drawn.
  const FIXED = [
    'content-type text/html cache-control private, no-store no-cache set-cookie __host-segment segment',
    'path=/; max-age=0 max-age=2592000; httponly; samesite=lax; secure x-segments location',
    'preview choice cookie rule 1 rule 2 default bot gpc dnt reset',
    ...declaredPairs,
    ...[...declaredPairs].map((p) => p.replace(':', '=')),
  ].join(' ');
  // Letters only sometimes, so the token can also become a Signals value (a language tag).
  const token = fc.oneof(fc.stringMatching(/^[a-z0-9]{12,24}$/), fc.stringMatching(/^[a-z]{4,8}$/)).filter((t) => !FIXED.includes(t));
  const hostMode = fc.constantFrom('ok', 'missing', 'rejects', 'throws', 'redirect');

  it('never calls fetch or console and never copies request data into response headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        token,
        fc.constantFrom(...ROUTE_PATHS.slice(0, 9)),
        fc.boolean(),
        fc.boolean(),
        hostMode,
        fc.boolean(),
        async (t, base, inPath, bot, mode, https) => {
          const url = new URL(`${https ? 'https' : 'http'}://shop.example${inPath ? `/pricing/${t}` : base}`);
          for (const k of PARAM_KEYS) url.searchParams.append(k, t);
          url.searchParams.append('segment', `audience:${t},customer`);
          url.searchParams.append('segment-preview', `region:${t}`);
          url.searchParams.append(t, t);
          const req = new Request(url, {
            headers: {
              cookie: `session=${t}; __Host-segment=audience:${t}|region:eu; segment=${t}; ${t}=${t}`,
              referer: `https://${t}.example/${t}?${t}=${t}`,
              'accept-language': `${t}, ${t}-${t};q=0.9`,
              'user-agent': bot ? `Googlebot ${t}` : `Mozilla/5.0 ${t}`,
              'sec-gpc': t,
              dnt: t,
              [`x-${t}`]: t,
              'x-forwarded-for': t,
              'cf-ipcountry': t,
            },
          });
          const host: Host = {
            asset: async () => {
              if (mode === 'throws') throw new Error('down');
              if (mode === 'rejects') return Promise.reject(new Error('down'));
              if (mode === 'missing') return new Response('missing', { status: 404 });
              if (mode === 'redirect') return new Response(null, { status: 307, headers: { location: '/x' } });
              return new Response('variant', { headers: { 'content-type': 'text/html' } });
            },
            next: async () => new Response('default', { headers: { 'content-type': 'text/html' } }),
          };
          const res = await serve(req, withDebug(), { country: 'de' }, host);
          for (const [name, value] of res.headers) {
            expect(name.toLowerCase()).not.toContain(t);
            expect(value.toLowerCase()).not.toContain(t);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(fetchStub).not.toHaveBeenCalled();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('makes no fetch or console call on the failure paths either', async () => {
    const broken = [null, {}, { ...manifest, routes: null }] as unknown as Manifest[];
    const hostile = {
      get url(): string {
        throw new Error('x');
      },
      method: 'GET',
      headers: new Headers(),
    } as unknown as Request;
    const host: Host = { asset: async () => Promise.reject(new Error('x')), next: async () => new Response('default') };
    for (const m of broken) await serve(new Request('https://shop.example/?segment=customer'), m, {}, host);
    await serve(hostile, manifest, {}, host);
    await serve(new Request('https://shop.example/?segment=customer'), manifest, {}, host);
    expect(fetchStub).not.toHaveBeenCalled();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
