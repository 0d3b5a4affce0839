/**
 * In `astro dev` there is no edge platform, so signals a laptop cannot produce
 * are simulated with query parameters named after the choice parameter:
 *
 *   ?segment-country=DE            the platform's country
 *   ?segment-referrer=producthunt.com
 *   ?segment-language=de           the visitor's preferred language
 *   ?segment-gpc=1                 Global Privacy Control
 *
 * Campaigns need no simulation: `?utm_campaign=…` works as deployed. Only ever
 * used in `astro dev`; production geo comes from the platform alone.
 */
import type { RequestView } from './request-view.ts';

/** The request with the simulated headers in place of the real ones, and the simulated country. */
export function simulate(request: RequestView, param: string): { request: RequestView; country: string | undefined } {
  const query = new URL(request.url).searchParams;
  const simulated = (name: string) => query.get(`${param}-${name}`) ?? undefined;
  const headers = new Map<string, string>();
  const referrer = simulated('referrer');
  if (referrer) headers.set('referer', `https://${referrer}/`);
  const language = simulated('language');
  if (language) headers.set('accept-language', language);
  if (simulated('gpc') === '1') headers.set('sec-gpc', '1');
  return {
    request: { method: request.method, url: request.url, headers: { get: (name) => headers.get(name.toLowerCase()) ?? request.headers.get(name) } },
    country: simulated('country'),
  };
}
