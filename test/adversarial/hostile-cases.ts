/**
 * The hostile-request table: requests an attacker (or a broken client) can
 * send, and what every host must answer. It runs through the same runtime
 * harnesses as the conformance table (test/hosts/cases.ts), against the same
 * built site (test/hosts/site/, bodies carry `marker:<name>`), plus the extra
 * instances of ./sites.ts. `{token}` in a URL or header value is replaced by
 * the run's secret, so an injection attempt that reached a response header or
 * body would also fail the privacy check.
 *
 * Runtime limits met while writing this table (requests beyond them are
 * refused by the runtime itself with a 4xx, before any router code runs):
 * - Node's HTTP server: 16 KiB for the request line and all headers (431).
 * - Deno (Netlify's local edge handler): about 64 KB of headers (400). Its
 *   origin, the Node server playing Netlify's CDN, refuses more than 16 KiB
 *   (431); that answer comes back through the router, marked private.
 * - workerd through Miniflare: about 64 KB per header or URL (431).
 * - the raw core and Vercel's edge runtime run in-process: no limit; 1 MB
 *   inputs reach the router there.
 */
import type { Case } from '../hosts/cases.ts';
import type { Site } from './run-table.ts';

export const NO_STORE = 'private, no-store';
export const NO_CACHE = 'private, no-cache';
/** Whatever the host itself sends for a request the router leaves alone; never `private`. */
export const UNTOUCHED = 'untouched';

/** The Set-Cookie an explicit choice writes over HTTP. */
export const chosen = (value: string) => `segment=${value}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax`;
export const CLEARED = 'segment=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax';

export interface HostileCase extends Omit<Case, 'site' | 'method'> {
  readonly site?: Site;
  /** Any method a client can send; GET by default. */
  readonly method?: string;
}

const page = (marker: string, extra: Partial<Case['expect']> = {}): Case['expect'] => ({
  status: 200,
  marker,
  setCookie: null,
  cacheControl: NO_CACHE,
  ...extra,
});
const DEFAULT = page('pricing-default');
const CUSTOMER = page('pricing-customer');
const PARTNER = page('pricing-partner');
const NOT_FOUND: Case['expect'] = { status: 404, marker: 'not-found', setCookie: null, cacheControl: UNTOUCHED };
const METHOD_NOT_ALLOWED: Case['expect'] = { status: 405, marker: null, setCookie: null, cacheControl: UNTOUCHED };
/** Over a runtime's own header limit: its 4xx, empty, before the router runs. */
const refused = (status: number): Partial<Case['expect']> => ({ status, marker: null, setCookie: null, cacheControl: UNTOUCHED });
/**
 * Netlify's local handler: the edge function runs, and `context.next()` reaches the origin,
 * a Node server with its own 16 KiB limit; its 431 comes back through the router, marked private.
 */
const ORIGIN_REFUSED: Partial<Case['expect']> = { status: 431, marker: null, setCookie: null, cacheControl: NO_CACHE };
/** Cloudflare's asset layer redirects `/x.html` and odd paths to its canonical form (same origin). */
const ASSET_REDIRECT: Partial<Case['expect']> = { status: 307, marker: null, setCookie: null, cacheControl: UNTOUCHED };
/** workerd's own answer over its limit has a body of its own. */
const WORKERD_REFUSED: Partial<Case['expect']> = { status: 431, marker: 'ERROR: header too large.', cacheControl: UNTOUCHED };

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const SESSION = { cookie: 'session=abc' };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

/** The one question every group below answers: what does this request get? */
export const HOSTILE: readonly HostileCase[] = [
  // ── The choice parameter: encodings and Unicode look-alikes ─────────────────────────────
  {
    name: 'choice: a percent-encoded declared name is the same choice, stored by its declared name',
    url: '/pricing/?segment=cus%74omer',
    expect: page('pricing-customer', { setCookie: chosen('audience:customer'), cacheControl: NO_STORE }),
  },
  {
    name: 'choice: ASCII upper case is the same choice, stored in lower case',
    url: '/pricing/?segment=AUDIENCE:CUSTOMER',
    expect: page('pricing-customer', { setCookie: chosen('audience:customer'), cacheControl: NO_STORE }),
  },
  {
    name: 'choice: "+" and spaces around a name are trimmed',
    url: '/pricing/?segment=+partner%20',
    expect: page('pricing-partner', { setCookie: chosen('audience:partner'), cacheControl: NO_STORE }),
  },
  { name: 'choice: Cyrillic с (U+0441) in "customer" is ignored', url: '/pricing/?segment=%D1%81ustomer', expect: DEFAULT },
  { name: 'choice: Cyrillic р and а in "partner" are ignored', url: '/pricing/?segment=%D1%80%D0%B0rtner', expect: DEFAULT },
  {
    name: 'choice: fullwidth letters (NFKC would fold them to ASCII) are ignored',
    url: '/pricing/?segment=%EF%BD%83%EF%BD%95%EF%BD%93%EF%BD%94%EF%BD%8F%EF%BD%8D%EF%BD%85%EF%BD%92',
    expect: DEFAULT,
  },
  { name: 'choice: long s ſ (NFKC folds it to s) is ignored', url: '/pricing/?segment=cu%C5%BFtomer', expect: DEFAULT },
  { name: 'choice: a combining accent after a declared name is ignored', url: '/pricing/?segment=customer%CC%81', expect: DEFAULT },
  { name: 'choice: a zero-width joiner inside a declared name is ignored', url: '/pricing/?segment=custo%E2%80%8Dmer', expect: DEFAULT },
  { name: 'choice: NBSP and ideographic spaces (which trim would remove) are ignored', url: '/pricing/?segment=%C2%A0customer%E3%80%80', expect: DEFAULT },
  { name: 'choice: %00 after a declared name is ignored', url: '/pricing/?segment=customer%00', expect: DEFAULT },
  { name: 'choice: %00 before a declared name is ignored', url: '/pricing/?segment=%00customer', expect: DEFAULT },
  { name: 'choice: overlong UTF-8 for a letter (C1 A3 = "c") is ignored', url: '/pricing/?segment=%C1%A3ustomer', expect: DEFAULT },
  { name: 'choice: overlong UTF-8 for ":" (C0 BA) is ignored', url: '/pricing/?segment=audience%C0%BAcustomer', expect: DEFAULT },
  { name: 'choice: a double-encoded name is not decoded twice', url: '/pricing/?segment=cus%2574omer', expect: DEFAULT },
  {
    name: 'choice: a malformed value next to a valid one leaves the valid one',
    url: '/pricing/?segment=%E0%A4%A&segment=customer',
    expect: page('pricing-customer', { setCookie: chosen('audience:customer'), cacheControl: NO_STORE }),
  },
  { name: 'choice: the Kelvin sign K (lower-cases to "k") never reaches "kiosk"', site: 'hostile', url: '/pricing/?segment=%E2%84%AAiosk', expect: DEFAULT },
  { name: 'choice: dotted capital İ (U+0130) never reaches "kiosk"', site: 'hostile', url: '/pricing/?segment=K%C4%B0OSK', expect: DEFAULT },
  {
    name: 'choice: plain "KIOSK" is the declared value (control for the look-alikes)',
    site: 'hostile',
    url: '/pricing/?segment=KIOSK',
    expect: page('offers-eu', { setCookie: chosen('audience:kiosk'), cacheControl: NO_STORE }),
  },
  { name: 'choice: a name longer than 64 characters is dropped whole', url: `/pricing/?segment=customer,${'x'.repeat(64)}`, expect: DEFAULT },
  {
    name: 'choice: extra colons do not make a pair',
    url: '/pricing/?segment=audience:customer:partner&segment=:customer&segment=audience::customer',
    expect: DEFAULT,
  },

  // ── Duplicates ───────────────────────────────────────────────────────────────────────────
  {
    name: 'duplicates: the first valid choice parameter wins',
    url: '/pricing/?segment=partner&segment=customer',
    expect: page('pricing-partner', { setCookie: chosen('audience:partner'), cacheControl: NO_STORE }),
  },
  {
    name: 'duplicates: an unknown first choice leaves the next',
    url: '/pricing/?segment=astronaut&segment=customer',
    expect: page('pricing-customer', { setCookie: chosen('audience:customer'), cacheControl: NO_STORE }),
  },
  { name: 'duplicates: only the first 8 choice parameters are read', url: `/pricing/?${'segment=x&'.repeat(8)}segment=customer`, expect: DEFAULT },
  {
    name: 'duplicates: reset among choices wins and clears',
    url: '/pricing/?segment=customer&segment=reset',
    headers: SESSION,
    expect: page('pricing-default', { setCookie: CLEARED, cacheControl: NO_STORE }),
  },
  {
    name: 'duplicates: the first of two segment cookies wins',
    url: '/pricing/',
    headers: { cookie: 'segment=audience:partner; segment=audience:customer' },
    expect: PARTNER,
  },
  {
    name: 'duplicates: an invalid first segment cookie is not skipped for a later one',
    url: '/pricing/',
    headers: { cookie: 'segment=audience:astronaut; segment=audience:customer' },
    expect: DEFAULT,
  },
  {
    name: 'duplicates: two Cookie values joined with ", " (as fetch joins them) give the default',
    url: '/pricing/',
    headers: { cookie: 'segment=audience:partner, segment=audience:customer' },
    expect: DEFAULT,
  },
  { name: 'duplicates: the first utm_source counts', url: '/pricing/?utm_source=nobody&utm_source=partnerhub', expect: DEFAULT },
  { name: 'duplicates: the first utm_source counts (reversed)', url: '/pricing/?utm_source=partnerhub&utm_source=nobody', expect: PARTNER },
  { name: 'duplicates: the parameter name is case-sensitive', url: '/pricing/?SEGMENT=customer&Segment=customer', expect: DEFAULT },
  {
    name: 'duplicates: a choice smuggled inside another value or name is not a choice',
    url: '/pricing/?x=1%26segment%3Dcustomer&segment%3Dcustomer&segment[]=customer&y=a;segment=customer',
    expect: DEFAULT,
  },

  // ── Paths: traversal and encodings ───────────────────────────────────────────────────────
  {
    name: 'path: an encoded dot-dot out of the variant folder is not a page',
    url: '/_segments%2f..%2fpricing/',
    headers: SESSION,
    expect: NOT_FOUND,
    differs: { workerd: ASSET_REDIRECT },
  },
  {
    name: 'path: an encoded dot-dot from a page into the variant folder is not a page',
    url: '/pricing/..%2f_segments%2fc0ffee01.html',
    headers: SESSION,
    expect: NOT_FOUND,
    differs: { workerd: ASSET_REDIRECT },
  },
  {
    name: 'path: an encoded dot-dot out of the site finds nothing',
    url: '/..%2f..%2f..%2fetc%2fpasswd',
    expect: NOT_FOUND,
    differs: { workerd: ASSET_REDIRECT },
  },
  {
    name: 'path: dot-dot segments (plain and %2e) resolve before any host sees them',
    url: '/_segments/%2e%2e/_segments/../pricing/',
    headers: SESSION,
    expect: CUSTOMER,
  },
  {
    name: 'path: encoded backslashes do not separate segments',
    url: '/pricing%5c..%5c_segments%5cc0ffee01.html',
    headers: SESSION,
    expect: NOT_FOUND,
    differs: { workerd: ASSET_REDIRECT },
  },
  { name: 'path: %00 in a page path is not that page', url: '/pricing%00/', headers: SESSION, expect: NOT_FOUND },
  { name: 'path: overlong UTF-8 dots are not dots', url: '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd', expect: NOT_FOUND, differs: { workerd: ASSET_REDIRECT } },
  {
    name: 'path: a variant file asked for directly is a static file: no cookie, not personalized',
    url: '/_segments/c0ffee01.html?segment=partner',
    headers: SESSION,
    expect: { status: 200, marker: 'pricing-customer', setCookie: null, cacheControl: UNTOUCHED },
    differs: { workerd: ASSET_REDIRECT },
  },
  {
    name: 'path: HEAD of a variant file is a static file too',
    method: 'HEAD',
    url: '/_segments/pa2tner01.html?segment=customer',
    expect: { status: 200, marker: null, setCookie: null, cacheControl: UNTOUCHED },
    differs: { workerd: ASSET_REDIRECT },
  },
  {
    name: 'path: a double slash before a page is not that page',
    url: '/.//pricing/?segment=customer',
    headers: SESSION,
    expect: { status: 200, marker: 'pricing-default', setCookie: null, cacheControl: UNTOUCHED },
    differs: { raw: NOT_FOUND, workerd: ASSET_REDIRECT },
  },
  { name: 'path: prototype keys are not routes (/__proto__)', url: '/__proto__?segment=customer', expect: NOT_FOUND },
  { name: 'path: prototype keys are not routes (/constructor/)', url: '/constructor/?segment=customer', expect: NOT_FOUND },
  { name: 'path: prototype keys are not routes (/toString, /hasOwnProperty)', url: '/toString/../hasOwnProperty?segment=customer', expect: NOT_FOUND },
  { name: 'path: prototype keys under a page are not that page', url: '/pricing/__proto__', headers: SESSION, expect: NOT_FOUND },

  // ── Oversized headers and inputs (see the limits above) ──────────────────────────────────
  {
    name: 'size: a 15 000-byte cookie header still has its stored choice read',
    url: '/pricing/',
    headers: { cookie: `pad=${'a'.repeat(15000)}; segment=audience:partner` },
    expect: PARTNER,
  },
  {
    name: 'size: a stored choice after the first 16 KiB of cookies is not read',
    url: '/pricing/',
    headers: { cookie: `pad=${'a'.repeat(24000)}; segment=audience:partner` },
    expect: DEFAULT,
    differs: { node: refused(431), deno: ORIGIN_REFUSED },
  },
  {
    // Clear of Deno's own 64 KiB limit on a request's headers, which the local Netlify handler's
    // metadata headers (they list the function's paths) push a 64,000-byte one over or not.
    name: 'size: a 60 KB header the router does not read changes nothing',
    url: '/pricing/',
    headers: { 'x-pad': 'a'.repeat(60000), ...SESSION },
    expect: CUSTOMER,
    differs: { node: refused(431), deno: ORIGIN_REFUSED },
  },
  {
    name: 'size: a 1 MB cookie header: the decision of its first 16 KiB',
    url: '/pricing/',
    headers: { cookie: `session=abc; pad=${'a'.repeat(1_000_000)}; segment=audience:partner` },
    expect: CUSTOMER,
    differs: { node: refused(431), deno: refused(400), workerd: WORKERD_REFUSED },
  },
  {
    name: 'size: a 48 KB query string keeps its choice',
    url: `/pricing/?segment=partner&pad=${'a'.repeat(48000)}`,
    expect: page('pricing-partner', { setCookie: chosen('audience:partner'), cacheControl: NO_STORE }),
    differs: { node: refused(431) },
  },
  {
    name: 'size: a 1 500-entry Accept-Language is read for its first 16 entries only',
    site: 'hostile',
    url: '/pricing/',
    headers: { 'accept-language': `${'xx;q=0.1,'.repeat(1500)}tr` },
    expect: DEFAULT,
  },
  {
    name: 'size: an 8 KB user agent ending in a crawler name is a crawler',
    url: '/pricing/',
    headers: { 'user-agent': `Mozilla/5.0 ${'x'.repeat(8000)} Googlebot/2.1`, ...SESSION },
    expect: DEFAULT,
  },

  // ── Malformed Accept-Language and Referer (rules on the `hostile` site read both) ─────────
  {
    name: 'language: a plain "tr" matches the language rule (control)',
    site: 'hostile',
    url: '/pricing/',
    headers: { 'accept-language': 'TR-tr' },
    expect: page('offers-eu'),
  },
  {
    name: 'language: the highest weight wins, not the first entry',
    site: 'hostile',
    url: '/pricing/',
    headers: { 'accept-language': 'en;q=0.5, tr;q=0.9' },
    expect: page('offers-eu'),
  },
  {
    name: 'language: q=abc, q=2, q=-1 and q=0 are not weights',
    site: 'hostile',
    url: '/pricing/',
    headers: { 'accept-language': 'tr;q=abc, tr;q=2, tr;q=-1, tr;q=0' },
    expect: DEFAULT,
  },
  {
    name: 'language: empty entries, bare separators and * are skipped',
    site: 'hostile',
    url: '/pricing/',
    headers: { 'accept-language': ';q=1,,, ;;; =, *, -tr, tr' },
    expect: page('offers-eu'),
  },
  {
    name: 'language: a 17th entry is never read',
    site: 'hostile',
    url: '/pricing/',
    headers: { 'accept-language': `${'x;q=0,'.repeat(16)}tr` },
    expect: DEFAULT,
  },
  {
    name: 'language: Latin-1 bytes in a tag are not letters',
    site: 'hostile',
    url: '/pricing/',
    headers: { 'accept-language': 'tr\u00e9, \u00fftr' },
    expect: DEFAULT,
  },
  {
    name: 'referrer: a host under the rule suffix matches (control)',
    site: 'hostile',
    url: '/pricing/',
    headers: { referer: 'https://www.news.example/story' },
    expect: page('offers-na'),
  },
  {
    name: 'referrer: the rule suffix as a subdomain of another host does not match',
    site: 'hostile',
    url: '/pricing/',
    headers: { referer: 'https://news.example.evil.test/' },
    expect: DEFAULT,
  },
  {
    name: 'referrer: the rule suffix in the path, query, fragment or user info does not match',
    site: 'hostile',
    url: '/pricing/',
    headers: { referer: 'https://news.example@evil.test/news.example?r=.news.example#.news.example' },
    expect: DEFAULT,
  },
  {
    name: 'referrer: an unparseable Referer is no referrer',
    site: 'hostile',
    url: '/pricing/',
    headers: { referer: 'http://[::1/news.example' },
    expect: DEFAULT,
  },
  {
    name: 'referrer: a javascript: URL has no host',
    site: 'hostile',
    url: '/pricing/',
    headers: { referer: 'javascript:alert(1)//www.news.example' },
    expect: DEFAULT,
  },
  {
    name: 'referrer: a host is parsed as a browser would (IDNA folds a fullwidth e): inferred, for this response only',
    site: 'hostile',
    url: '/pricing/',
    headers: { referer: 'https://www.news.%EF%BD%85xample/' },
    expect: page('offers-na'),
  },

  // ── CR/LF injection ({token} must never come back) ───────────────────────────────────────
  { name: 'crlf: in a choice, never a header', url: '/pricing/?segment=customer%0D%0ASet-Cookie:%20x={token}', expect: DEFAULT },
  { name: 'crlf: a bare LF in a choice, never a header', url: '/pricing/?segment=audience:customer%0ASet-Cookie:x={token}', expect: DEFAULT },
  { name: 'crlf: in a preview, never a header', url: '/pricing/?segment-preview=customer%0D%0AX-Injected:%20{token}', expect: DEFAULT },
  { name: 'crlf: in a utm value, never a match or a header', url: '/pricing/?utm_source=partnerhub%0D%0AX-Injected:{token}', expect: DEFAULT },
  // Not {token}: this path is not a route, so the host answers it alone (Cloudflare's asset layer redirects, echoing the path).
  { name: 'crlf: in a path, never a header', url: '/pricing%0D%0ASet-Cookie:%20x=injected', expect: NOT_FOUND, differs: { workerd: ASSET_REDIRECT } },
  {
    name: 'crlf: encoded inside the stored cookie, never a header',
    url: '/pricing/',
    headers: { cookie: 'segment=audience:customer%0D%0ASet-Cookie:%20x={token}' },
    expect: DEFAULT,
  },
  {
    name: 'crlf: in a choice with debug on, X-Segments holds only declared names',
    site: 'hostile',
    url: '/pricing/?segment=customer%0D%0AX-Injected:{token}&segment-preview=%0D%0A{token}',
    expect: DEFAULT,
  },

  // ── Prototype keys ───────────────────────────────────────────────────────────────────────
  { name: 'proto: __proto__ as a choice is ignored', url: '/pricing/?segment=__proto__', expect: DEFAULT },
  {
    name: 'proto: constructor, toString, hasOwnProperty, valueOf as choices are ignored',
    url: '/pricing/?segment=constructor,toString,hasOwnProperty,valueOf',
    expect: DEFAULT,
  },
  {
    name: 'proto: prototype keys as dimension or value in a pair are ignored',
    url: '/pricing/?segment=audience:__proto__,__proto__:customer,constructor:prototype,audience:constructor',
    expect: DEFAULT,
  },
  {
    name: 'proto: prototype keys as previews are ignored',
    site: 'hostile',
    url: '/pricing/?segment-preview=__proto__,constructor,audience:toString',
    expect: DEFAULT,
  },
  {
    name: 'proto: prototype keys in the stored cookie are ignored',
    url: '/pricing/',
    headers: { cookie: 'segment=audience:__proto__|__proto__:customer|constructor:prototype|audience:hasOwnProperty' },
    expect: DEFAULT,
  },
  {
    name: 'proto: cookies named like prototype keys are not the rule cookie',
    url: '/pricing/',
    headers: { cookie: '__proto__=1; constructor=1; toString=1; hasOwnProperty=1; valueOf=1' },
    expect: DEFAULT,
  },
  {
    name: 'proto: cookies named like prototype keys do not hide the rule cookie',
    url: '/pricing/',
    headers: { cookie: '__proto__=x; constructor=y; session=abc' },
    expect: CUSTOMER,
  },
  {
    name: 'proto: prototype keys as utm values and parameter names are ignored',
    url: '/pricing/?utm_source=__proto__&utm_campaign=constructor&__proto__[polluted]=1&constructor[prototype][polluted]=1',
    expect: DEFAULT,
  },

  // ── Geo and platform headers a client can forge ──────────────────────────────────────────
  {
    name: 'forged geo: Cloudflare headers from a client are not geo',
    url: '/offers/',
    headers: { 'cf-ipcountry': 'US', 'cf-ipcontinent': 'NA', 'cf-connecting-ip': '8.8.8.8', 'cf-ray': 'x' },
    expect: page('offers-default'),
  },
  {
    name: "forged geo: Vercel's country header from a client is not geo",
    url: '/offers/',
    headers: { 'x-vercel-ip-country': 'US', 'x-vercel-ip-continent': 'NA', 'x-vercel-forwarded-for': '8.8.8.8' },
    expect: page('offers-default'),
  },
  {
    name: "forged geo: Netlify's geo headers from a client are not geo",
    url: '/offers/',
    headers: { 'x-nf-geo': b64({ country: { code: 'US' } }), 'x-nf-country': 'US', 'x-nf-client-connection-ip': '8.8.8.8' },
    expect: page('offers-default'),
  },
  {
    name: 'forged geo: generic country headers are not geo',
    url: '/offers/',
    headers: { 'x-country': 'US', 'x-country-code': 'US', 'x-geo-country': 'US', 'cloudfront-viewer-country': 'US', 'x-appengine-country': 'US' },
    expect: page('offers-default'),
  },
  {
    name: 'forged geo: client IP headers are not read',
    url: '/offers/',
    headers: { 'x-forwarded-for': '8.8.8.8, 81.2.69.142', 'true-client-ip': '8.8.8.8', 'x-real-ip': '8.8.8.8', forwarded: 'for=8.8.8.8;proto=https' },
    expect: page('offers-default'),
  },
  {
    name: "forged geo: a client's country header never overrides the platform's",
    url: '/offers/',
    country: 'DE',
    headers: { 'x-vercel-ip-country': 'US', 'cf-ipcountry': 'US', 'x-country': 'US' },
    expect: page('offers-eu'),
  },
  {
    name: "forged platform: a client's middleware-protocol headers do not steer Vercel",
    url: '/pricing/',
    headers: {
      'x-middleware-rewrite': 'https://evil.test/_segments/c0ffee01.html',
      'x-middleware-next': '1',
      'x-middleware-override-headers': 'cookie',
      'x-middleware-request-cookie': 'session=1',
    },
    expect: DEFAULT,
  },
  {
    name: 'forged platform: rewrite headers from a client do not change the page',
    url: '/docs/',
    headers: { 'x-original-url': '/pricing/', 'x-rewrite-url': '/_segments/c0ffee01.html', ...SESSION },
    expect: { status: 200, marker: 'docs', setCookie: null, cacheControl: UNTOUCHED },
  },

  // ── Bots ─────────────────────────────────────────────────────────────────────────────────
  { name: 'bot: a stored choice is not followed', url: '/pricing/', headers: { 'user-agent': GOOGLEBOT, cookie: 'segment=audience:partner' }, expect: DEFAULT },
  {
    name: 'bot: reset neither clears nor sets a cookie',
    url: '/pricing/?segment=reset',
    headers: { 'user-agent': GOOGLEBOT, cookie: 'segment=audience:partner' },
    expect: DEFAULT,
  },
  { name: 'bot: a preview is not shown', url: '/pricing/?segment-preview=customer', headers: { 'user-agent': GOOGLEBOT }, expect: DEFAULT },
  { name: 'bot: upper-case crawler names are crawlers', url: '/pricing/?utm_source=partnerhub', headers: { 'user-agent': 'BINGBOT/2.0' }, expect: DEFAULT },
  { name: 'bot: link unfurlers are crawlers', url: '/pricing/?segment=customer', headers: { 'user-agent': 'facebookexternalhit/1.1' }, expect: DEFAULT },
  { name: 'bot: an empty user agent is a visitor', url: '/pricing/', headers: { 'user-agent': '', ...SESSION }, expect: CUSTOMER },

  // ── Methods ──────────────────────────────────────────────────────────────────────────────
  ...(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND'] as const).map(
    (method): HostileCase => ({
      name: `method: ${method} is left to the host, never personalized`,
      method,
      url: '/pricing/?segment=customer',
      headers: SESSION,
      expect: METHOD_NOT_ALLOWED,
    }),
  ),
  {
    name: 'method: POST with a method-override header is still POST',
    method: 'POST',
    url: '/pricing/?segment=customer',
    headers: { 'x-http-method-override': 'GET', 'x-method-override': 'GET', ...SESSION },
    expect: METHOD_NOT_ALLOWED,
  },
  {
    name: 'method: HEAD of a missing variant file falls back like GET',
    method: 'HEAD',
    url: '/pricing/',
    headers: { referer: 'https://www.news.example/' },
    expect: { status: 200, marker: null, setCookie: null, cacheControl: NO_CACHE },
  },
  {
    name: 'method: HEAD with reset clears like GET',
    method: 'HEAD',
    url: '/pricing/?segment=reset',
    expect: { status: 200, marker: null, setCookie: CLEARED, cacheControl: NO_STORE },
  },
  {
    name: 'method: HEAD from a crawler sets nothing',
    method: 'HEAD',
    url: '/pricing/?segment=customer',
    headers: { 'user-agent': GOOGLEBOT },
    expect: { status: 200, marker: null, setCookie: null, cacheControl: NO_CACHE },
  },
];
