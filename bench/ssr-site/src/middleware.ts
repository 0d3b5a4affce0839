/**
 * The same signals and rules as examples/ledgerly/astro.config.mjs, written the
 * way an Astro user would without astro-segments: read the request in
 * middleware, put the segment in `locals`, render the page per request.
 * Country comes from a header the proxy would set (the bench sends it), as the
 * Node server's `country()` option does.
 */
import { defineMiddleware } from 'astro:middleware';

const EU = new Set('at be bg hr cy cz dk ee fi fr de gr hu ie it lv lt lu mt nl pl pt ro sk si es se'.split(' '));
const AUDIENCES = new Set(['customer', 'accountant', 'prospect']);
const CAMPAIGNS = new Set(['yearend', 'producthunt', 'none']);
const REGIONS = new Set(['uk', 'eu', 'us', 'intl']);

export interface Segments {
  audience: string;
  campaign: string;
  region: string;
}

export const onRequest = defineMiddleware(async (context, next) => {
  const { request, url, cookies } = context;
  const chosen = new Map<string, string>();
  for (const entry of (cookies.get('segment')?.value ?? '').split('|')) {
    const [dimension = '', value = ''] = entry.split(':');
    chosen.set(dimension, value);
  }
  const quiet = request.headers.get('sec-gpc') === '1' || /bot|crawl|spider/i.test(request.headers.get('user-agent') ?? '');
  const pick = (dimension: string, allowed: Set<string>, infer: () => string, fallback: string) => {
    const value = chosen.get(dimension);
    if (value && allowed.has(value)) return value;
    return quiet ? fallback : infer();
  };
  let referrer = '';
  try {
    referrer = new URL(request.headers.get('referer') ?? '').hostname;
  } catch {}
  const country = (request.headers.get('x-bench-country') ?? '').toLowerCase();
  const segments: Segments = {
    audience: pick(
      'audience',
      AUDIENCES,
      () => (cookies.has('ledgerly_session') ? 'customer' : url.searchParams.get('utm_source') === 'accountant-network' ? 'accountant' : 'prospect'),
      'prospect',
    ),
    campaign: pick(
      'campaign',
      CAMPAIGNS,
      () => (url.searchParams.get('utm_campaign') === 'year-end-close' ? 'yearend' : referrer.endsWith('producthunt.com') ? 'producthunt' : 'none'),
      'none',
    ),
    region: pick('region', REGIONS, () => (country === 'gb' ? 'uk' : EU.has(country) ? 'eu' : country === 'us' ? 'us' : 'intl'), 'intl'),
  };
  context.locals.segments = segments;
  const response = await next();
  response.headers.set('Cache-Control', 'private, no-cache');
  return response;
});
