/**
 * Cloudflare Workers adapter (a Worker with static assets, run first on the
 * personalized routes only). Geo comes only from `request.cf.country`, which
 * Cloudflare's edge fills in; a client cannot send it.
 *
 * Files are read through the `ASSETS` binding: not a network call, and only
 * ever this site's own static files.
 */
import { serve } from './serve.ts';
import type { AnyManifest, Decider } from './types.ts';

/**
 * The Worker environment the generated `wrangler.json` declares. `ASSETS` is the binding to
 * the site's own static files, served inside Cloudflare: calling it is not a network call.
 */
export interface CloudflareEnv {
  readonly ASSETS: { fetch(request: Request): Promise<Response> };
}

type CloudflareRequest = Request & { readonly cf?: { readonly country?: unknown } };

/** A Worker module's default export, as far as the router calls it. */
export interface WorkerModule<Env = CloudflareEnv> {
  fetch(request: CloudflareRequest, env: Env, context?: unknown): Response | Promise<Response>;
}

/** `decider`: `holdout()` for a site with a holdout; the plain router by default. */
export function cloudflareWorker(manifest: AnyManifest, decider?: Decider): WorkerModule {
  return {
    fetch: (request, env) =>
      serve(
        request,
        manifest,
        { country: request.cf?.country as string | undefined },
        {
          // ASSETS.fetch is the Worker's binding to this site's own static files
          // (no network call, no other origin): `asset` serves the chosen variant
          // file, `next` the page as requested (not personalized, or the default).
          // With the default `html_handling` ("auto-trailing-slash") the assets
          // layer answers `/x.html` with a redirect to `/x`; ask for `/x` directly
          // (a variant path always ends in `.html`).
          asset: (path) => env.ASSETS.fetch(new Request(new URL(path.slice(0, -5), request.url), request)),
          next: () => env.ASSETS.fetch(request),
        },
        decider,
      ),
  };
}

/**
 * One Worker for a site whose adapter (@astrojs/cloudflare) has a server Worker
 * of its own: requests for the personalized pages' paths (`paths`, the same list
 * as `assets.run_worker_first`) go to the router, every other request that
 * reaches the Worker goes to the adapter's Worker, unchanged.
 */
export function withServerWorker<Env extends CloudflareEnv>(router: WorkerModule, server: WorkerModule<Env>, paths: readonly string[]): WorkerModule<Env> {
  const personalized = new Set(paths);
  return {
    // Handing the request to one of two in-process handlers: no network call.
    fetch: (request, env, context) => (personalized.has(new URL(request.url).pathname) ? router.fetch(request, env) : server.fetch(request, env, context)),
  };
}
