/**
 * Netlify Edge Functions adapter. Geo comes only from Netlify's own `context.geo`
 * (Netlify computes it from the connection; a request header cannot set it).
 *
 * The variant is served with `context.next(request)` on a same-origin Request
 * for the variant file: Netlify continues the chain with that request and
 * fetches the built file from its CDN. That is the one outgoing call, and it
 * only ever reaches this site's own static files.
 */
import type { Manifest } from './manifest.ts';
import { serve } from './serve.ts';
import type { Decider } from './types.ts';

/** The part of Netlify's edge `Context` the router uses. */
export interface NetlifyContext {
  readonly geo?: { readonly country?: { readonly code?: string } } | undefined;
  next(request?: Request): Promise<Response>;
}

/** `decider`: `holdout()` for a site with a holdout; the plain router by default. */
export function netlifyHandler(manifest: Manifest, decider?: Decider): (request: Request, context: NetlifyContext) => Promise<Response> {
  return (request, context) =>
    serve(request, manifest, { country: context.geo?.country?.code }, {
      asset: (path) => context.next(new Request(new URL(path, request.url), request)),
      // Pass the original request: after a failed `asset`, a bare `context.next()`
      // would continue with the variant's URL.
      next: () => context.next(request),
    }, decider);
}
