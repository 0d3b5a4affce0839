/**
 * Caches that keep an on-demand page by URL and hand one render to every
 * visitor. astro-segments personalizes on-demand pages per request, in Astro
 * middleware, and the build cannot tell which on-demand pages will: any of them
 * can render a `<Segment>` from a layout or read `Astro.locals.segments`. So
 * each such cache either keeps away from personalized responses by itself, or
 * the build refuses it for every on-demand page it covers, naming the pages
 * and the option.
 *
 * - @astrojs/netlify `cacheOnDemandPages`: safe. The adapter adds its
 *   `CDN-Cache-Control` only to a response without any `Cache-Control`
 *   (its ssr-function.js), and every personalized response carries
 *   `Cache-Control: private`; Netlify's CDN does not store `private` responses
 *   (https://docs.netlify.com/platform/caching/).
 * - @astrojs/vercel `isr`: refused. Vercel's ISR keeps the function's output per
 *   path and serves it to everyone; the adapter even drops every query parameter
 *   but its own from the cache key (`allowQuery`), so `?segment=` choices would
 *   be cached for all (https://vercel.com/docs/incremental-static-regeneration).
 *   Pages listed in `isr.exclude` are not refused.
 * - Astro's route cache (`cache.provider`, `routeRules`): safe. Astro applies
 *   the provider's headers (`CDN-Cache-Control`, `Netlify-CDN-Cache-Control`, …)
 *   and a runtime provider stores the response after the whole middleware chain
 *   (astro/dist/core/cache/handler.js, `handleCache` around `handleMiddleware`);
 *   the on-demand middleware calls `context.cache.set(false)` on every
 *   personalized response, which turns both off for that response only
 *   (`AstroCache` in astro/dist/core/cache/runtime/cache.js), and strips the
 *   CDN headers the page or the site's middleware set (request/shared-caches.ts).
 * - Cloudflare: Workers responses are not cached unless the Worker uses the
 *   Cache API or a Cache Rule says so; neither the adapter nor this integration
 *   does. A Cache Rule "cache everything" on these URLs is outside the build's
 *   sight: `astro-segments check` reports it from the deployment.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { AstroError } from 'astro/errors';

/** An on-demand page of the project, and a path it answers (dynamic parameters filled in). */
export interface OnDemandRoute {
  readonly pattern: string;
  readonly entrypoint: string;
  /** A path this route serves, or undefined when none could be made. */
  readonly samplePath: string | undefined;
}

const list = (routes: readonly OnDemandRoute[]) => routes.map((route) => `- ${route.pattern} (${route.entrypoint})`).join('\n');

/** The on-demand pages the adapter routes to its ISR function (`/_isr`), from its config.json. */
function isrPages(vercelOutput: URL, routes: readonly OnDemandRoute[]): OnDemandRoute[] {
  if (!existsSync(new URL('./functions/_isr.prerender-config.json', vercelOutput))) return [];
  let config: { routes?: { src?: string; dest?: string }[] };
  try {
    config = JSON.parse(readFileSync(new URL('./config.json', vercelOutput), 'utf8'));
  } catch {
    return [...routes];
  }
  const functions = (config.routes ?? []).filter((route) => typeof route.src === 'string' && typeof route.dest === 'string');
  return routes.filter(({ samplePath }) => {
    // No path to test, or the edge middleware decides (the ISR list is inside its code): assume ISR.
    if (samplePath === undefined || functions.some((route) => route.dest === '_middleware')) return true;
    const first = functions.find((route) => {
      try {
        return new RegExp(route.src!).test(samplePath);
      } catch {
        return false;
      }
    });
    return first === undefined || first.dest!.startsWith('/_isr');
  });
}

/**
 * After @astrojs/vercel wrote its output: refuse ISR for on-demand pages, removing
 * that output and the built site so nothing deployable is left.
 */
export async function refuseVercelIsr(root: URL, outDir: URL, routes: readonly OnDemandRoute[]): Promise<void> {
  const output = new URL('./.vercel/output/', root);
  const pages = isrPages(output, routes);
  if (pages.length === 0) return;
  await rm(output, { recursive: true, force: true });
  await rm(outDir, { recursive: true, force: true });
  throw new AstroError(
    `@astrojs/vercel's \`isr\` option caches ${pages.length === 1 ? 'this on-demand page' : 'these on-demand pages'} by URL and serves one render to every visitor:\n${list(pages)}\n` +
      "astro-segments personalizes on-demand pages per request, so one visitor's version (or choice) would be served to everyone.",
    'Keep personalized pages out of ISR: list them in `vercel({ isr: { exclude: [...] } })`, or prerender them (`export const prerender = true`; the router personalizes prerendered pages on Vercel), or turn `isr` off.',
  );
}
