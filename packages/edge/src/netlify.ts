/**
 * Netlify Edge Functions adapter. Geo comes only from Netlify's own `context.geo`
 * (Netlify computes it from the connection; a request header cannot set it).
 *
 * The variant is served with `context.next(request)` on a same-origin Request
 * for the variant file: Netlify continues the chain with that request and
 * fetches the built file from its CDN. That is the one outgoing call, and it
 * only ever reaches this site's own static files.
 *
 * Once `context.next()` has been called with the variant's request, Netlify's
 * edge bootstrap keeps that request as the chain's current one: a function that
 * then threw (the declaration's `onError: 'bypass'`) or returned `undefined`
 * would make Netlify serve the raw variant file, with the variant folder's own
 * headers, at the public URL. So every path here ends in a Response this code
 * built: `serve` answers with the variant or the public file, and a failure of
 * Netlify's own `context.next()` gets an explicit, uncacheable 502.
 */
import { serve } from './serve.ts';
import type { AnyManifest, Decider } from './types.ts';

/** The part of Netlify's edge `Context` the router uses. */
export interface NetlifyContext {
  readonly geo?: { readonly country?: { readonly code?: string } } | undefined;
  next(request?: Request): Promise<Response>;
}

/** `decider`: `holdout()` for a site with a holdout; the plain router by default. */
export function netlifyHandler(manifest: AnyManifest, decider?: Decider): (request: Request, context: NetlifyContext) => Promise<Response> {
  return async (request, context) => {
    try {
      return await serve(
        request,
        manifest,
        { country: context.geo?.country?.code },
        {
          asset: (path) => context.next(new Request(new URL(path, request.url), request)),
          // Pass the original request: after `asset`, a bare `context.next()` would continue with the variant's URL.
          next: () => context.next(request),
        },
        decider,
      );
    } catch {
      return new Response(null, { status: 502, headers: { 'Cache-Control': 'private, no-store' } });
    }
  };
}
