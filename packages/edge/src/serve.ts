import type { AnyManifest, Decider, Platform } from './types.ts';
import { decideUnguarded } from './decide.ts';
import { RequestSignals } from './signals.ts';

/** What a host adapter gives the router. */
export interface Host {
  /** Fetch a built file by site-root path from the host's own storage. */
  asset(path: string): Promise<Response>;
  /** Let the host serve the request unchanged: the public URL's own (default) file. */
  next(): Promise<Response>;
}

/**
 * The variant file's headers that reach the public URL: what the content is,
 * its validator, and the security headers a site sets for every path. Never
 * what a host or a site's rule says about the variant folder itself (its
 * caching, `X-Robots-Tag: noindex`, CDN lifetimes) or anything else.
 */
const VARIANT_HEADERS = [
  'content-type',
  'content-language',
  'content-security-policy',
  'etag',
  'x-frame-options',
  'x-content-type-options',
  'referrer-policy',
  'permissions-policy',
  'strict-transport-security',
];

/**
 * Cache headers aimed at shared caches (`CDN-Cache-Control` of RFC 9213, each
 * host's `<Host>-CDN-Cache-Control`, `Surrogate-Control`): a personalized
 * response never carries one, whatever the public file had.
 */
const sharedCache = (name: string) => name.includes('cdn-cache') || name.includes('surrogate');

/**
 * The whole router for one request. Personalization can only ever fall back to
 * the host's own response: no failure here becomes an error page (this is the
 * guard `decider` relies on). `decider`: `holdout()` for a site with a holdout.
 */
export async function serve(request: Request, manifest: AnyManifest, platform: Platform, host: Host, decider: Decider = decideUnguarded): Promise<Response> {
  try {
    const decision = decider(new RequestSignals(request, manifest, platform), manifest);
    if (!decision) return host.next();
    let { path, headers, setCookie } = decision;
    let variant: Response | undefined;
    if (path) {
      try {
        variant = await host.asset(path);
      } catch {}
      // A missing variant file (or a redirect, which would put the variant's URL in the address
      // bar) serves the default page, and the choice is not stored since it was not shown.
      if (!variant?.ok && variant?.status != 304) (variant = undefined), (headers = { 'Cache-Control': 'private, no-cache' }), (setCookie = undefined);
    }
    // Only the allowed headers of a variant file; the public file's own, less shared-cache ones.
    const source = variant || (await host.next());
    const response = new Response(source.body, {
      status: source.status,
      headers: [...source.headers].filter(([name]) => (variant ? VARIANT_HEADERS.includes(name) : !sharedCache(name))),
    });
    for (const name in headers) response.headers.set(name, headers[name]!);
    if (setCookie) response.headers.append('Set-Cookie', setCookie);
    return response;
  } catch {
    return host.next();
  }
}
