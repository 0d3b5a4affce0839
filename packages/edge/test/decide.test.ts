import { describe, expect, it } from 'vitest';
import { decide, type Manifest, type Signals } from '../src/index.ts';
import { HASH, NOW, SPRING_FROM, SPRING_UNTIL, decided, manifest, oneDimension, route, signals, variant, withDebug } from './fixture.ts';

const ATTRS = 'Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax';
const HTTPS_COOKIE = (value: string) => `__Host-segment=${value}; ${ATTRS}; Secure`;
const HTTP_COOKIE = (value: string) => `segment=${value}; ${ATTRS}`;
const cookie = (value: string) => ({ headers: { cookie: value } });
const debug = withDebug();

describe('decide: which requests are personalized', () => {
  it('passes through methods other than GET and HEAD', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      expect(route('/?segment=customer', { method })).toBeNull();
    }
    expect(route('/', { method: 'HEAD' })).not.toBeNull();
  });

  it('passes through the variant files under the reserved prefix, encoded or not', () => {
    expect(route(`/_segments/${HASH.home_customer}.html`)).toBeNull();
    expect(route(`/%5Fsegments/${HASH.home_customer}.html`)).toBeNull();
  });

  it('passes through pages the manifest does not list', () => {
    expect(route('/about')).toBeNull();
    expect(route('/pricing/extra')).toBeNull();
  });

  it('never matches a route through an inherited object key', () => {
    for (const path of ['/constructor', '/__proto__', '/toString', '/hasOwnProperty']) {
      expect(route(path)).toBeNull();
      expect(route(`/${path}`)).toBeNull();
    }
  });

  it('normalizes index.html, .html and a trailing slash before the lookup', () => {
    for (const path of ['/pricing', '/pricing/', '/pricing.html', '/pricing/index.html']) {
      expect(decided(path).route).toBe('/pricing');
    }
    for (const path of ['/', '/index.html']) expect(decided(path).route).toBe('/');
  });

  it('percent-decodes the path, and passes through when it cannot', () => {
    expect(decided('/caf%C3%A9', { headers: { cookie: 'session=1' } })).toMatchObject({
      route: '/café',
      path: variant(HASH.cafe_customer),
    });
    expect(route('/caf%C3%A9%')).toBeNull();
    expect(route('/%E0%A4%A')).toBeNull();
  });
});

describe('decide: explicit choice (?segment=)', () => {
  it('serves the chosen value and remembers it in the cookie', () => {
    const d = decided('/?segment=customer');
    expect(d.values).toEqual({ audience: 'customer' });
    expect(d.path).toBe(variant(HASH.home_customer));
    expect(d.setCookie).toBe(HTTPS_COOKIE('audience:customer'));
    expect(d.headers).toEqual({ 'Cache-Control': 'private, no-store' });
  });

  it('writes a plain cookie name without Secure over HTTP, and __Host- with Secure over HTTPS', () => {
    expect(decided('/?segment=customer', { https: false }).setCookie).toBe(HTTP_COOKIE('audience:customer'));
    expect(decided('/?segment=customer').setCookie).toBe(HTTPS_COOKIE('audience:customer'));
  });

  it('accepts dim:value, comma lists, repeated parameters, spaces and any ASCII case', () => {
    const d = decided('/pricing?segment=%20Audience:Partner%20,%20region:NA&segment=campaign:spring');
    expect(d.values).toEqual({ audience: 'partner', region: 'na' });
    expect(d.setCookie).toBe(HTTPS_COOKIE('audience:partner|region:na|campaign:spring'));
  });

  it('stores a choice for a dimension the page does not use, so it applies site-wide', () => {
    const d = decided('/?segment=eu');
    expect(d.values).toEqual({ audience: 'prospect' });
    expect(d.setCookie).toBe(HTTPS_COOKIE('region:eu'));
  });

  it('accepts a bare value only when exactly one dimension declares it', () => {
    // `other` is both a region and a campaign value.
    const d = decided('/pricing?segment=other');
    expect(d.setCookie).toBeUndefined();
    expect(decided('/pricing?segment=region:other').setCookie).toBe(HTTPS_COOKIE('region:other'));
  });

  it('ignores unknown and malformed items as if they were absent', () => {
    for (const q of ['vip', 'audience:vip', 'plan:customer', ':', ':customer', 'audience:', 'audience:customer:x', 'audience%3Dcustomer', ',,', '']) {
      const d = decided(`/?segment=${q}`);
      expect(d.values, q).toEqual({ audience: 'prospect' });
      expect(d.setCookie, q).toBeUndefined();
      expect(d.headers['Cache-Control']).toBe('private, no-cache');
    }
    expect(decided('/?segment=vip,customer').values).toEqual({ audience: 'customer' });
  });

  it('ignores non-ASCII items, so Unicode look-alikes never map to a declared value', () => {
    for (const item of [
      'u\u212A', // KELVIN SIGN, lowercases to "k"
      'U\u212A',
      'region:u\u212A',
      '\uFF55\uFF4B', // fullwidth "uk"
      'cu\u017Ftomer', // LATIN SMALL LETTER LONG S, uppercases to "S"
      'customer\u00A0',
      'cust\u200Bomer', // zero-width space
    ]) {
      const d = decided(`/pricing?segment=${encodeURIComponent(item)}`);
      expect(d.values, item).toEqual({ audience: 'prospect', region: 'other' });
      expect(d.setCookie, item).toBeUndefined();
    }
  });

  it('lets the first valid item win per dimension', () => {
    const d = decided('/?segment=customer,partner&segment=audience:prospect');
    expect(d.values).toEqual({ audience: 'customer' });
    expect(d.setCookie).toBe(HTTPS_COOKIE('audience:customer'));
  });

  it('reads at most 8 values of 64 characters each', () => {
    const nine = `/?${Array.from({ length: 8 }, () => 'segment=x').join('&')}&segment=customer`;
    expect(decided(nine).values).toEqual({ audience: 'prospect' });
    expect(decided(`/?segment=${' '.repeat(60)}customer`).values).toEqual({ audience: 'prospect' });
  });

  it('merges a new choice over the valid stored entries, in manifest dimension order', () => {
    const d = decided('/?segment=customer', cookie('__Host-segment=campaign:spring|region:na|audience:partner'));
    expect(d.setCookie).toBe(HTTPS_COOKIE('audience:customer|region:na|campaign:spring'));
  });

  it('drops stored entries that are not declared when it rewrites the cookie', () => {
    const d = decided('/?segment=customer', cookie('__Host-segment=audience:vip|evil:x|region:na|<script>|customer'));
    expect(d.setCookie).toBe(HTTPS_COOKIE('audience:customer|region:na'));
  });

  it('puts only declared names in the cookie value', () => {
    const d = decided('/?segment=customer%3Bdomain%3Devil.example,audience:customer;x');
    expect(d.setCookie).toBeUndefined();
  });
});

describe('decide: reset', () => {
  it('serves every default, infers nothing and clears the cookie', () => {
    const d = decided('/pricing?segment=reset&utm_source=partner-portal', {
      headers: { cookie: 'session=1; __Host-segment=audience:customer|region:na' },
      platform: { country: 'de' },
    });
    expect(d.values).toEqual({ audience: 'prospect', region: 'other' });
    expect(d.path).toBeNull();
    expect(d.setCookie).toBe('__Host-segment=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
    expect(d.headers['Cache-Control']).toBe('private, no-store');
  });

  it('clears the plain cookie name over HTTP', () => {
    expect(decided('/?segment=reset', { https: false }).setCookie).toBe('segment=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
  });

  it('wins over other choice items in the same request', () => {
    const d = decided('/?segment=customer,reset');
    expect(d.values).toEqual({ audience: 'prospect' });
    expect(d.setCookie).toMatch(/^__Host-segment=; /);
  });

  it('is case-insensitive like every item', () => {
    expect(decided('/?segment=RESET').setCookie).toMatch(/Max-Age=0/);
  });

  it('still lets a preview show (a preview outranks every stored or chosen value)', () => {
    expect(decided('/?segment=reset&segment-preview=partner').values).toEqual({ audience: 'partner' });
  });
});

describe('decide: preview (?segment-preview=)', () => {
  it('shows the value for this response only: no cookie, nothing stored', () => {
    const d = decided('/?segment-preview=partner');
    expect(d.values).toEqual({ audience: 'partner' });
    expect(d.path).toBe(variant(HASH.home_partner));
    expect(d.setCookie).toBeUndefined();
    expect(d.headers).toEqual({ 'Cache-Control': 'private, no-cache' });
  });

  it('accepts the same forms as a choice', () => {
    expect(decided('/pricing?segment-preview=Customer,region:eu').values).toEqual({ audience: 'customer', region: 'eu' });
  });

  it('outranks a choice and the cookie, while the choice is still stored', () => {
    const d = decided('/?segment=partner&segment-preview=prospect', cookie('__Host-segment=audience:customer'));
    expect(d.values).toEqual({ audience: 'prospect' });
    expect(d.setCookie).toBe(HTTPS_COOKIE('audience:partner'));
  });

  it('is never stored, even next to a choice for another dimension', () => {
    const d = decided('/pricing?segment=customer&segment-preview=region:eu', cookie('__Host-segment=campaign:spring'));
    expect(d.values).toEqual({ audience: 'customer', region: 'eu' });
    expect(d.setCookie).toBe(HTTPS_COOKIE('audience:customer|campaign:spring'));
  });

  it('does not understand reset', () => {
    const d = decided('/?segment-preview=reset', cookie('__Host-segment=audience:customer'));
    expect(d.values).toEqual({ audience: 'customer' });
    expect(d.setCookie).toBeUndefined();
  });
});

describe('decide: remembered choice (cookie)', () => {
  it('serves the stored value without renewing the cookie', () => {
    const d = decided('/pricing', cookie('__Host-segment=audience:customer|region:na'));
    expect(d.values).toEqual({ audience: 'customer', region: 'na' });
    expect(d.path).toBe(variant(HASH.customer_na));
    expect(d.setCookie).toBeUndefined();
    expect(d.headers['Cache-Control']).toBe('private, no-cache');
  });

  it('reads __Host-<name> over HTTPS and <name> over HTTP, never the other', () => {
    expect(decided('/', cookie('segment=audience:customer')).values).toEqual({ audience: 'prospect' });
    expect(decided('/', { https: false, ...cookie('__Host-segment=audience:customer') }).values).toEqual({ audience: 'prospect' });
    expect(decided('/', { https: false, ...cookie('segment=audience:customer') }).values).toEqual({ audience: 'customer' });
  });

  it('uses the first occurrence when the cookie appears twice', () => {
    const d = decided('/', cookie('__Host-segment=audience:partner; __Host-segment=audience:customer'));
    expect(d.values).toEqual({ audience: 'partner' });
  });

  it('ignores unknown entries and bare values but keeps the valid ones', () => {
    const d = decided('/pricing', cookie('__Host-segment=audience:vip|customer|region:eu|nope'));
    expect(d.values).toEqual({ audience: 'prospect', region: 'eu' });
  });

  it('ignores a cookie whose name only contains ours', () => {
    expect(decided('/', cookie('x__Host-segment=audience:customer; __Host-segmentx=audience:customer')).values).toEqual({ audience: 'prospect' });
  });
});

describe('decide: precedence', () => {
  it('ranks a choice above the cookie', () => {
    expect(decided('/?segment=partner', cookie('__Host-segment=audience:customer')).values).toEqual({ audience: 'partner' });
  });

  it('ranks the cookie above rules', () => {
    const d = decided('/?utm_source=partner-portal', cookie('session=1; __Host-segment=audience:prospect'));
    expect(d.values).toEqual({ audience: 'prospect' });
  });

  it('ranks a choice above rules', () => {
    expect(decided('/?segment=prospect', cookie('session=1')).values).toEqual({ audience: 'prospect' });
  });

  it('decides each dimension on its own', () => {
    const d = decided('/pricing?segment=partner', { platform: { country: 'ca' } });
    expect(d.values).toEqual({ audience: 'partner', region: 'na' });
  });
});

describe('decide: privacy policy', () => {
  const BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

  it('serves bots every default and never sets a cookie, whatever they send', () => {
    const d = decided('/pricing?segment=customer&segment-preview=partner&utm_source=partner-portal', {
      headers: { 'user-agent': BOT, cookie: 'session=1; __Host-segment=audience:customer' },
      platform: { country: 'de' },
    });
    expect(d.values).toEqual({ audience: 'prospect', region: 'other' });
    expect(d.setCookie).toBeUndefined();
    expect(d.headers['Cache-Control']).toBe('private, no-cache');
    expect(decided('/?segment=reset', { headers: { 'user-agent': BOT } }).setCookie).toBeUndefined();
  });

  it.each([
    ['sec-gpc', 'gpc'],
    ['dnt', 'dnt'],
  ])('infers nothing under %s: 1', (header) => {
    const d = decided('/pricing?utm_source=partner-portal', {
      headers: { [header]: '1', cookie: 'session=1', referer: 'https://shop.eu/' },
      platform: { country: 'de' },
    });
    expect(d.values).toEqual({ audience: 'prospect', region: 'other' });
    expect(d.path).toBeNull();
  });

  it.each(['sec-gpc', 'dnt'])('still honours explicit choices under %s: 1, and stores a choice the visitor made', (header) => {
    const headers = { [header]: '1', cookie: '__Host-segment=region:eu' };
    const d = decided('/pricing?segment=customer', { headers });
    expect(d.values).toEqual({ audience: 'customer', region: 'eu' });
    expect(d.setCookie).toBe(HTTPS_COOKIE('audience:customer|region:eu'));
    expect(decided('/?segment-preview=partner', { headers }).values).toEqual({ audience: 'partner' });
  });

  it('treats Sec-GPC values other than 1 as no signal', () => {
    expect(decided('/', { headers: { 'sec-gpc': '0', cookie: 'session=1' } }).values).toEqual({ audience: 'customer' });
  });
});

describe('decide: rules', () => {
  it('matches the presence of a named first-party cookie, never its value', () => {
    expect(decided('/', cookie('session=')).values).toEqual({ audience: 'customer' });
    expect(decided('/', cookie('a=1; session=opaque-token; b=2')).values).toEqual({ audience: 'customer' });
  });

  it('needs a cookie with exactly that name', () => {
    for (const c of ['session2=1', 'xsession=1', 'Session=1', 'a=session', 'session']) {
      expect(decided('/', cookie(c)).values, c).toEqual({ audience: 'prospect' });
    }
  });

  it('matches utm_* case-insensitively with `is`', () => {
    expect(decided('/?utm_source=Partner-Portal').values).toEqual({ audience: 'partner' });
    expect(decided('/?utm_source=partner-portal-2').values).toEqual({ audience: 'prospect' });
  });

  it('lets the first declared value with a matching rule win', () => {
    expect(decided('/?utm_source=partner-portal', cookie('session=1')).values).toEqual({ audience: 'customer' });
  });

  it('matches the country from the platform only', () => {
    expect(decided('/pricing', { platform: { country: 'FR' } }).values.region).toBe('eu');
    expect(decided('/pricing', { platform: { country: 'gb' } }).values.region).toBe('uk');
    expect(decided('/pricing', { headers: { 'cf-ipcountry': 'FR' } }).values.region).toBe('other');
  });

  it('matches the referrer host with `suffix`, never the rest of the referrer URL', () => {
    expect(decided('/pricing', { headers: { referer: 'https://www.shop.EU/x' } }).values.region).toBe('eu');
    expect(decided('/pricing', { headers: { referer: 'https://evil.example/?next=a.eu' } }).values.region).toBe('other');
  });

  it('requires every field of a rule (AND)', () => {
    const en = { headers: { 'accept-language': 'en-GB,en;q=0.8' } };
    expect(decided('/pricing?utm_medium=cpc', en).values.region).toBe('na');
    expect(decided('/pricing', en).values.region).toBe('other');
    expect(decided('/pricing?utm_medium=cpc').values.region).toBe('other');
  });

  it('matches `prefix` and applies the date window [from, until)', () => {
    const at = (now: number) => decided('/launch?utm_campaign=Spring-Sale', { now }).values.campaign;
    expect(at(NOW)).toBe('spring');
    expect(at(SPRING_FROM)).toBe('spring');
    expect(at(SPRING_FROM - 1)).toBe('other');
    expect(at(SPRING_UNTIL - 1)).toBe('spring');
    expect(at(SPRING_UNTIL)).toBe('other');
    expect(decided('/launch?utm_campaign=summer-spring').values.campaign).toBe('other');
  });

  it('falls back to the default when nothing matches', () => {
    const d = decided('/pricing');
    expect(d.values).toEqual({ audience: 'prospect', region: 'other' });
  });

  it('never matches an empty signal, even with an empty prefix or suffix', () => {
    const m = oneDimension([{ referrer: { prefix: '' } }, { language: { suffix: '' } }, { utm_term: { is: [''] } }]);
    expect(decided('/', {}, m).values).toEqual({ x: 'off' });
    expect(decided('/', { headers: { referer: 'https://a.example/' } }, m).values).toEqual({ x: 'on' });
  });

  it('fails closed on a field this router does not know', () => {
    const m = oneDimension([{ continent: { is: ['eu'] } } as never, { future_signal: { prefix: '' } } as never]);
    expect(decided('/', { platform: { country: 'de' } }, m).values).toEqual({ x: 'off' });
  });

  it('treats `is` as exact membership, never a substring test', () => {
    const m = oneDimension([{ utm_source: { is: 'partner-portal' as never } }]);
    expect(decided('/?utm_source=partner', {}, m).values).toEqual({ x: 'off' });
  });
});

describe('decide: variant file', () => {
  it('joins the values in route dimension order to find the file', () => {
    expect(decided('/pricing', { ...cookie('session=1'), platform: { country: 'de' } }).path).toBe(variant(HASH.customer_eu));
    expect(decided('/pricing', { platform: { country: 'gb' } }).path).toBe(variant(HASH.prospect_uk));
  });

  it('serves the public URL’s own file (path null) for a combination without a file', () => {
    const d = decided('/pricing?segment=partner', { platform: { country: 'us' } });
    expect(d.values).toEqual({ audience: 'partner', region: 'na' });
    expect(d.path).toBeNull();
    expect(decided('/docs/regions', { platform: { country: 'de' } }).path).toBeNull();
  });

  it('refuses a hash that is not 6–64 lowercase letters and digits', () => {
    for (const hash of ['../../etc/passwd', 'ABCDEF12', 'abc12', 'a'.repeat(65), 'abc/def', 'abcdef.html', '']) {
      const m: Manifest = { ...manifest, routes: { '/': { dims: ['audience'], variants: { customer: hash } } } };
      expect(decided('/?segment=customer', {}, m).path, hash).toBeNull();
    }
  });
});

describe('decide: headers', () => {
  it('always sends Cache-Control: private and never a Vary header', () => {
    for (const d of [decided('/'), decided('/?segment=customer'), decided('/pricing', { platform: { country: 'de' } })]) {
      expect(d.headers['Cache-Control']).toMatch(/^private, no-(cache|store)$/);
      expect(Object.keys(d.headers).map((k) => k.toLowerCase())).not.toContain('vary');
    }
  });

  it('names each value and why it won in X-Segments when debug is on', () => {
    const d = decided('/pricing?segment=customer', { headers: { referer: 'https://a.eu/' } }, debug);
    expect(d.headers['X-Segments']).toBe('audience=customer (choice); region=eu (rule 2)');
    expect(decided('/pricing', cookie('__Host-segment=audience:partner'), debug).headers['X-Segments']).toBe(
      'audience=partner (cookie); region=other (default)',
    );
    expect(decided('/?segment-preview=partner', {}, debug).headers['X-Segments']).toBe('audience=partner (preview)');
    expect(decided('/?segment=reset', {}, debug).headers['X-Segments']).toBe('audience=prospect (reset)');
    expect(decided('/', { headers: { 'user-agent': 'Googlebot' } }, debug).headers['X-Segments']).toBe('audience=prospect (bot)');
    expect(decided('/', { headers: { 'sec-gpc': '1' } }, debug).headers['X-Segments']).toBe('audience=prospect (gpc)');
    expect(decided('/', { headers: { dnt: '1' } }, debug).headers['X-Segments']).toBe('audience=prospect (dnt)');
    expect(decided('/', cookie('session=1'), debug).headers['X-Segments']).toBe('audience=customer (rule 1)');
  });

  it('sends no X-Segments header when debug is off', () => {
    expect(decided('/?segment=customer').headers).not.toHaveProperty('X-Segments');
  });
});

describe('decide: corrupted manifests', () => {
  const s = signals('/pricing?segment=customer&utm_source=partner-portal', { headers: { cookie: 'session=1' }, platform: { country: 'de' } });
  const corrupt: Record<string, unknown> = {
    'version 2': { ...manifest, version: 2 },
    'routes null': { ...manifest, routes: null },
    'routes array': { ...manifest, routes: [] },
    'routes string': { ...manifest, routes: '/pricing' },
    'dimensions null': { ...manifest, dimensions: null },
    'dimensions object': { ...manifest, dimensions: {} },
    'dimension null': { ...manifest, dimensions: [null] },
    'values missing': { ...manifest, dimensions: manifest.dimensions.map((d) => ({ ...d, values: undefined })) },
    'values string': { ...manifest, dimensions: manifest.dimensions.map((d) => ({ ...d, values: 'customer' })) },
    'rules string': { ...manifest, dimensions: manifest.dimensions.map((d) => ({ ...d, values: d.values.map((v) => ({ ...v, rules: 'x' })) })) },
    'rule null': { ...manifest, dimensions: manifest.dimensions.map((d) => ({ ...d, values: d.values.map((v) => ({ ...v, rules: [null] })) })) },
    'matcher null': {
      ...manifest,
      dimensions: manifest.dimensions.map((d) => ({ ...d, values: d.values.map((v) => ({ ...v, rules: [{ utm_source: null }] })) })),
    },
    'default undeclared': { ...manifest, dimensions: manifest.dimensions.map((d) => ({ ...d, default: 'nope' })) },
    'route dims undeclared': { ...manifest, routes: { '/pricing': { dims: ['plan'], variants: {} } } },
    'route dims string': { ...manifest, routes: { '/pricing': { dims: 'audience', variants: {} } } },
    'route null': { ...manifest, routes: { '/pricing': null } },
    'variants null': { ...manifest, routes: { '/pricing': { dims: ['audience'], variants: null } } },
    'prefix missing': { ...manifest, prefix: undefined },
    'cookie missing': { ...manifest, cookie: undefined },
    'empty object': {},
    null: null,
  };

  it.each(Object.keys(corrupt))('yields null or all defaults, never a throw: %s', (name) => {
    const d = decide(s, corrupt[name] as Manifest);
    if (d !== null) {
      for (const [dim, value] of Object.entries(d.values)) {
        const declared = manifest.dimensions.find((x) => x.name === dim);
        expect(declared?.values.map((v) => v.name)).toContain(value);
      }
    }
  });

  it('yields null for a manifest of another version', () => {
    expect(decide(s, { ...manifest, version: 2 } as unknown as Manifest)).toBeNull();
  });

  it('never throws on malformed signals', () => {
    const bad = [{}, { ...s, path: undefined }, { ...s, choice: 'customer' }, { ...s, utm: null }, { ...s, cookie: 42 }, null];
    for (const b of bad) expect(() => decide(b as unknown as Signals, manifest)).not.toThrow();
  });
});
