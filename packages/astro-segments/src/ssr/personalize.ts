/**
 * On-demand pages get the router's semantics in Astro middleware, through the
 * per-request path every rendered page takes (`../request/`):
 *
 * - Prerendered pages are left alone: the build slices them and the host's
 *   router serves them. (The middleware also runs while Astro prerenders them;
 *   their markers must reach the build's slicer untouched.)
 * - `Astro.locals.segments` holds the value of every dimension for this request,
 *   decided lazily; reading a value counts the page as varying on it.
 * - The rendered page is personalized by `personalizeResponse`; a personalized
 *   response is kept out of Astro's route cache (`cache.provider`), which would
 *   otherwise store it under its URL for every visitor.
 * - In `astro dev` the signals are simulated from query parameters and the
 *   page carries the Dev Toolbar's data, as every page in dev does.
 */
import type { APIContext, MiddlewareNext } from 'astro';
import { pageDecision } from '../request/page-decision.ts';
import { personalizeResponse } from '../request/personalize-response.ts';
import { simulate } from '../request/simulate.ts';
import type { SsrData } from './data.ts';
import { trustedCountry } from './geo.ts';

type Context = Pick<APIContext, 'request' | 'locals' | 'isPrerendered'> & { readonly cache?: Pick<APIContext['cache'], 'enabled' | 'set'> };

export async function personalize(context: Context, next: MiddlewareNext, data: SsrData): Promise<Response> {
  if (context.isPrerendered) return next();
  const { options } = data;
  const { request, country } = data.dev ? simulate(context.request, options.param) : { request: context.request, country: trustedCountry(data.host, context) };
  // Debug is always on in dev: X-Segments says which rule won.
  const manifest = data.dev ? { ...data.manifest, debug: true } : data.manifest;
  const decision = pageDecision(request, country, manifest, options);
  Object.defineProperty(context.locals, 'segments', { value: decision.segments, enumerable: true, configurable: true });

  const url = new URL(context.request.url);
  const settings = { options, path: url.pathname, ...(data.dev && { toolbar: { url, base: data.base } }) };
  const { response, personal } = await personalizeResponse(await next(), decision, settings);
  // Astro applies a route cache's headers, and its provider stores the response, after the whole
  // middleware chain (core/cache/handler.js): `set(false)` turns both off for this response.
  if (personal && context.cache?.enabled) context.cache.set(false);
  return response;
}
