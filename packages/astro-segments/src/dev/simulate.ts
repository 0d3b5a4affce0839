import type { IncomingMessage } from 'node:http';

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
 * used by the dev server; production geo comes from the platform alone.
 */
export function simulatedRequest(req: IncomingMessage, param: string): { request: Request; country: string | undefined } {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers = new Headers();
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    for (const value of values ?? []) {
      try {
        headers.append(name, value);
      } catch {
        // A header the Fetch API refuses cannot matter to the router.
      }
    }
  }
  return simulate(new Request(url, { method: req.method ?? 'GET', headers }), param);
}

/**
 * The same simulation for a Fetch `Request` (Astro middleware in `astro dev`):
 * a copy of the request with the simulated headers, and the simulated country.
 */
export function simulate(request: Request, param: string): { request: Request; country: string | undefined } {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  const simulated = (name: string) => url.searchParams.get(`${param}-${name}`) ?? undefined;
  const referrer = simulated('referrer');
  if (referrer) headers.set('referer', `https://${referrer}/`);
  const language = simulated('language');
  if (language) headers.set('accept-language', language);
  if (simulated('gpc') === '1') headers.set('sec-gpc', '1');
  return { request: new Request(url, { method: request.method, headers }), country: simulated('country') };
}
