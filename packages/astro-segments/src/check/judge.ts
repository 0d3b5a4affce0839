/**
 * Whether one answer of the deployment keeps the router's promises. Each
 * problem says what happened and what to fix.
 */
import { PUBLIC_FILE, type Promised } from './probes.ts';

/** What the deployment answered, read in full. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface Problem {
  readonly what: string;
  readonly fix: string;
}

/** Headers that let a shared cache keep a response although Cache-Control says private. */
const CDN_HEADERS = ['cdn-cache-control', 'netlify-cdn-cache-control', 'vercel-cdn-cache-control', 'cloudflare-cdn-cache-control', 'surrogate-control'];
const NOINDEX = /<meta name="robots" content="noindex">/;

const FIX = {
  private:
    "The public URL of a personalized page must answer `Cache-Control: private`. Rebuild with this version of astro-segments and deploy its host output (on Vercel: the variant files' header routes come before the router's route in .vercel/output/config.json). If the build is current, something between the router and the visitor rewrites Cache-Control: a CDN or proxy in front of the host, or a header rule of the site or the host for this URL.",
  missingCacheControl:
    "Something removes the router's `Cache-Control: private` on the way to the visitor: a proxy, a CDN in front of the host, or a host rule that deletes headers. Remove that, or the first shared cache on the way will keep one visitor's page for everyone.",
  cdnHeader:
    "Remove the rule that adds it for this URL (a `_headers` or netlify.toml rule, a vercel.json header, a CDN rule, a header set by your own middleware): a CDN honours it instead of Cache-Control and would store this visitor's page.",
  cached:
    'The host\'s cache (or a CDN in front of it) stores this personalized URL by URL. Turn caching off for it: on Netlify never set `cache: "manual"` on the edge function; on Cloudflare no Cache Rule may cache these URLs; on Vercel no ISR or cache rule for them; behind any other CDN, make it honour `Cache-Control: private`.',
  notRouted:
    'The router did not pick this file. Check that the host output of the same build was deployed (Netlify: the edge function in .netlify/v1/edge-functions; Vercel: `vercel deploy --prebuilt` with the middleware in .vercel/output; Cloudflare: the Worker, with run_worker_first listing this URL) and that nothing in front of the host caches by URL.',
  cookie:
    "Only an explicit choice may set the segment cookie, with exactly the router's attributes. Check that nothing in front of the host adds, rewrites or replays Set-Cookie (a cache that stored a chooser's response would).",
  robots:
    'The public URL carries a header meant for the variant files (a `_headers` rule for the variant folder reaching the public page): deploy this version of astro-segments, which copies only content, validator and security headers from a variant file.',
  variantCache:
    'Variant files are content-hashed and should be `Cache-Control: public, max-age=31536000, immutable`. Deploy the `_headers` file the build wrote (Netlify, Cloudflare) or the header routes in .vercel/output/config.json (Vercel), and do not override them.',
  missingFile: 'Deploy the whole output of one build: the manifest names this file, so the router serves the standard page where it should serve it.',
  manifestCache:
    'manifest.json changes with every build and must not be immutable: remove any rule marking the whole variant folder immutable (only the `<hash>.html` files are).',
  conditional:
    'A validator of another version at this URL was answered with 304, so a browser would keep showing that version. Make sure no cache in front of the host answers conditional requests for personalized URLs from a stored copy.',
} as const;

const directives = (value: string | null) =>
  new Set(
    (value ?? '')
      .toLowerCase()
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );

/** Problems with the caching headers of a response at a personalized public URL. */
export function publicCaching(answer: Answer, promised: string | null): Problem[] {
  const problems: Problem[] = [];
  const value = answer.headers.get('cache-control');
  const actual = directives(value);
  if (value === null) problems.push({ what: 'the response has no Cache-Control', fix: FIX.missingCacheControl });
  else if (!actual.has('private') || actual.has('public') || actual.has('immutable') || [...actual].some((d) => /^s-maxage=/.test(d))) {
    problems.push({ what: `Cache-Control is "${value}", not private: a shared cache or the browser may keep this visitor's page`, fix: FIX.private });
  } else {
    for (const directive of directives(promised))
      if (!actual.has(directive)) problems.push({ what: `Cache-Control is "${value}" where the router sent "${promised}"`, fix: FIX.private });
  }
  for (const name of CDN_HEADERS) if (answer.headers.has(name)) problems.push({ what: `it carries ${name}: ${answer.headers.get(name)}`, fix: FIX.cdnHeader });
  if (/noindex/i.test(answer.headers.get('x-robots-tag') ?? ''))
    problems.push({ what: `it carries X-Robots-Tag: ${answer.headers.get('x-robots-tag')}`, fix: FIX.robots });
  return problems;
}

/**
 * A cache-status header that says the response was served from a stored copy. Not a
 * failure by itself: a host may serve the variant *file* from its cache (keyed by the
 * file, the same for everyone who gets it). What fails is a visitor getting another
 * visitor's page, which the repeated requests show; this names the cache that did it.
 */
export function cacheHit(headers: Headers): string | undefined {
  const status = headers.get('cache-status');
  // RFC 9211: each cache adds `name; hit` or `name; fwd=...`.
  if (status && /;\s*hit\b/i.test(status)) return `Cache-Status: ${status}`;
  for (const name of ['x-vercel-cache', 'cf-cache-status', 'x-cache', 'x-nf-cache']) {
    const value = headers.get(name);
    if (value && /^(hit|stale|updating|revalidated)/i.test(value.trim())) return `${name}: ${value}`;
  }
  const age = Number(headers.get('age'));
  if (age > 0) return `Age: ${age}`;
  return undefined;
}

/** The router's own cookies in a response (its segment cookie and a holdout group cookie). */
export function routerCookies(headers: Headers, names: readonly string[]): string[] {
  return headers.getSetCookie().filter((cookie) => names.includes(cookie.slice(0, cookie.indexOf('='))));
}

export interface Files {
  /** The public file every default visitor gets (the crawler's answer), once known. */
  readonly publicBody: string | undefined;
  /** Each variant file's body, by path. */
  readonly variants: ReadonlyMap<string, string>;
}

/** Which promised answer a body is: the variant file it equals, or the public file. */
function fileOf(body: string, files: Files): string | undefined {
  for (const [path, variant] of files.variants) if (variant === body) return path;
  if (files.publicBody !== undefined && body === files.publicBody) return PUBLIC_FILE;
  return undefined;
}

/** Everything wrong with the answer to one probe at a public URL. */
export function judge(answer: Answer, promises: readonly Promised[], method: string, cookieNames: readonly string[], files: Files): Problem[] {
  if (answer.status !== 200) return [{ what: `answered ${answer.status}, not the page`, fix: FIX.notRouted }];
  let promise = promises[0]!;
  const problems: Problem[] = [];
  if (method === 'GET') {
    const served = fileOf(answer.body, files);
    const match = promises.find((p) => p.file === served);
    if (match) promise = match;
    else {
      const expected = promises.map((p) => (p.file === PUBLIC_FILE ? 'the public file' : p.file)).join(' or ');
      const got =
        served === undefined
          ? NOINDEX.test(answer.body)
            ? 'a variant file this build did not make'
            : 'a page that is neither'
          : served === PUBLIC_FILE
            ? 'the public file'
            : served;
      const hit = cacheHit(answer.headers);
      problems.push({ what: `served ${got}, expected ${expected}${hit ? ` (from a cache: ${hit})` : ''}`, fix: hit ? FIX.cached : FIX.notRouted });
    }
  }
  problems.push(...publicCaching(answer, promise.cacheControl));
  const cookies = routerCookies(answer.headers, cookieNames).sort();
  const expected = [...promise.setCookie].sort();
  if (JSON.stringify(cookies) !== JSON.stringify(expected)) {
    problems.push({
      what:
        expected.length === 0
          ? `it sets ${cookies.join(' and ')} without a choice`
          : `it sets ${cookies.length === 0 ? 'no cookie' : cookies.join(' and ')}, expected ${expected.join(' and ')}`,
      fix: FIX.cookie,
    });
  }
  return problems;
}

/** A direct request for a variant file. */
export function judgeVariantFile(answer: Answer, cookieNames: readonly string[]): Problem[] {
  if (answer.status !== 200) return [{ what: `answered ${answer.status}: the file is missing`, fix: FIX.missingFile }];
  const problems: Problem[] = [];
  const cache = directives(answer.headers.get('cache-control'));
  if (!cache.has('immutable') || cache.has('private') || cache.has('no-store')) {
    problems.push({ what: `Cache-Control is "${answer.headers.get('cache-control') ?? ''}", not immutable`, fix: FIX.variantCache });
  }
  if (!NOINDEX.test(answer.body) || !/<link rel="canonical"/.test(answer.body)) {
    problems.push({ what: 'it is not a variant file of this build (no noindex and canonical link)', fix: FIX.notRouted });
  }
  if (routerCookies(answer.headers, cookieNames).length > 0) problems.push({ what: 'it sets the segment cookie', fix: FIX.cookie });
  return problems;
}

export function judgeManifest(answer: Answer): Problem[] {
  return directives(answer.headers.get('cache-control')).has('immutable')
    ? [{ what: `manifest.json is "${answer.headers.get('cache-control')}"`, fix: FIX.manifestCache }]
    : [];
}

/** A validator of another version must never earn a 304 at the public URL. */
export function judgeConditional(answer: Answer): Problem[] {
  return answer.status === 304 ? [{ what: 'answered 304 to the validator of another version', fix: FIX.conditional }] : [];
}
