/**
 * Cloudflare Workers adapter (a Worker with static assets, run first on the
 * personalized routes only). Geo comes only from `request.cf.country`, which
 * Cloudflare's edge fills in; a client cannot send it.
 *
 * Files are read through the `ASSETS` binding: not a network call, and only
 * ever this site's own static files.
 */
import type { Manifest } from './manifest.ts';
import { serve } from './serve.ts';
import type { Decider } from './types.ts';

/** The Worker environment the generated `wrangler.json` declares. */
export interface CloudflareEnv {
  readonly ASSETS: { fetch(request: Request): Promise<Response> };
}

/** `decider`: `holdout()` for a site with a holdout; the plain router by default. */
export function cloudflareWorker(manifest: Manifest, decider?: Decider): {
  fetch(request: Request & { readonly cf?: { readonly country?: unknown } }, env: CloudflareEnv): Promise<Response>;
} {
  return {
    fetch: (request, env) =>
      serve(request, manifest, { country: request.cf?.country as string | undefined }, {
        // ASSETS.fetch is the Worker's binding to this site's own static files
        // (no network call, no other origin): it serves the chosen built file.
        // With the default `html_handling` ("auto-trailing-slash") the assets
        // layer answers `/x.html` with a redirect to `/x`; ask for `/x` directly
        // (a variant path always ends in `.html`).
        asset: (path) => env.ASSETS.fetch(new Request(new URL(path.slice(0, -5), request.url), request)),
        next: () => env.ASSETS.fetch(request),
      }, decider),
  };
}
