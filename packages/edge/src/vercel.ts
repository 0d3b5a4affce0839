/**
 * Vercel Routing Middleware adapter (Build Output API v3 edge middleware).
 * Middleware cannot fetch the variant itself, so it answers with Vercel's
 * middleware protocol: `x-middleware-rewrite: <url>` serves the variant file,
 * `x-middleware-next: 1` serves the public URL's own file. Every other header
 * of the middleware response (Cache-Control, Set-Cookie, X-Segments) is added
 * by Vercel to the final response. The build checks that every variant file
 * exists, since a rewrite cannot fall back.
 *
 * Geo: `x-vercel-ip-country` is computed and set by Vercel's proxy from the
 * connection, replacing any value a client sent, so on Vercel it is the
 * platform's own context. It is trusted here only because this module is
 * deployed only as Vercel middleware; never reuse it behind another host.
 */
import { decideUnguarded } from './decide.ts';
import { RequestSignals } from './signals.ts';
import type { AnyManifest, Decider } from './types.ts';

/** `decider`: `holdout()` for a site with a holdout; the plain router by default. Its errors are caught here. */
export function vercelMiddleware(manifest: AnyManifest, decider: Decider = decideUnguarded): (request: Request) => Response {
  return (request) => {
    const headers = new Headers();
    try {
      const d = decider(new RequestSignals(request, manifest, { country: request.headers.get('x-vercel-ip-country') }), manifest);
      for (const k in d?.headers) headers.set(k, d.headers[k]!);
      if (d?.setCookie) headers.append('set-cookie', d.setCookie);
      if (d?.path) {
        headers.set('x-middleware-rewrite', new URL(d.path, request.url).href);
        return new Response(null, { headers });
      }
    } catch {
      // Any failure: the public URL's own (default) file, untouched.
      return new Response(null, { headers: { 'x-middleware-next': '1' } });
    }
    headers.set('x-middleware-next', '1');
    return new Response(null, { headers });
  };
}
