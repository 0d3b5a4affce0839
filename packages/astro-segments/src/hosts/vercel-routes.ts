/**
 * Where the router's routes go in `.vercel/output/config.json`, so that a
 * personalized response carries what the public URL carries without the
 * router, and nothing that lets a cache keep it.
 *
 * Vercel routes run in order; a route without `continue` ends the first
 * phase; routes after a middleware rewrite are matched against the rewritten
 * path (the variant file); route headers are merged in route order, a later
 * value winning. Sources: https://vercel.com/docs/build-output-api/v3/configuration#routes,
 * `vercel dev` (packages/cli/src/util/dev/router.ts and server.ts in
 * vercel/vercel), and Vercel's Next.js builder, which lists header routes and
 * redirects before its middleware route (packages/next/src/server-build.ts).
 *
 *   [immutable headers for the variant files]
 *   [the adapter's first-phase routes up to the first one that would end
 *    routing for a personalized URL: redirects, `continue` header routes]
 *   [the middleware]
 *   [per personalized page: its variant files get the headers its public URL
 *    gets from the routes that follow, and end the phase there as it does]
 *   [the rest of the adapter's routes, unchanged]
 *
 * The last step exists because @astrojs/vercel's per-route header routes
 * (`staticHeaders`) have no `continue` and an unanchored `src`: placed before
 * the middleware they would stop it from running; after it, the rewritten
 * path would be matched by another page's route (`/` matches every path).
 * Headers that steer caches are never copied: the middleware's
 * `Cache-Control: private` must stay the last word.
 */
import type { Manifest } from '@astro-segments/edge';
import { escapeRegExp, personalizedRoutes } from './route-patterns.ts';

export interface Route {
  readonly src?: string;
  readonly dest?: string;
  readonly status?: number;
  readonly continue?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  readonly middlewarePath?: string;
  readonly handle?: string;
  readonly [key: string]: unknown;
}

/** Headers that tell a cache to keep a response: never copied onto a personalized one. */
const CACHE_HEADERS = new Set(['cache-control', 'cdn-cache-control', 'vercel-cdn-cache-control', 'surrogate-control', 'expires', 'set-cookie']);

const isRedirect = (route: Route) =>
  typeof route.status === 'number' &&
  route.status >= 300 &&
  route.status < 400 &&
  Object.keys(route.headers ?? {}).some((name) => name.toLowerCase() === 'location');

/** Vercel matches case-insensitively unless told otherwise. An `src` JavaScript cannot read is assumed to match. */
function matcher(route: Route): (path: string) => RegExpExecArray | null {
  try {
    const regex = new RegExp(String(route.src), route.caseSensitive === true ? '' : 'i');
    return (path) => regex.exec(path);
  } catch {
    return (path) => Object.assign([path], { index: 0, input: path, groups: undefined }) as RegExpExecArray;
  }
}

const fill = (value: string, match: RegExpExecArray) =>
  value.replace(/\$([1-9a-zA-Z]+)/g, (_, key: string) => (/^\d+$/.test(key) ? match[Number(key)] : match.groups?.[key]) ?? '');

/** `/x` and `/x/` (just `/` for the root): the forms a static host serves a page at. */
const forms = (route: string) => (route === '/' ? ['/'] : [route, `${route}/`]);

/**
 * The headers `path` collects from `routes` (stopping where routing would stop),
 * or undefined when a route there would send it elsewhere (a rewrite or redirect).
 */
function headersAlong(routes: readonly Route[], path: string): Record<string, string> | undefined {
  const collected: Record<string, string> = {};
  for (const route of routes) {
    const match = matcher(route)(path);
    if (!match) continue;
    if (route.dest !== undefined || isRedirect(route) || route.middlewarePath !== undefined) return undefined;
    for (const [name, value] of Object.entries(route.headers ?? {})) if (!CACHE_HEADERS.has(name.toLowerCase())) collected[name] = fill(value, match);
    if (route.continue !== true) break;
  }
  return collected;
}

/**
 * Whether a route is one this integration wrote on an earlier build (the middleware,
 * the variant files' header routes): an amended config is amended again cleanly.
 */
export function isOwnRoute(route: Route, manifest: Manifest, middlewarePath: string): boolean {
  if (route.middlewarePath === middlewarePath) return true;
  return typeof route.src === 'string' && route.src.startsWith(`^${escapeRegExp(manifest.prefix)}(?:`) && route.src.endsWith('\\.html$');
}

/** The variant files of one page, as a Build Output `src`. */
function variantSource(manifest: Manifest, route: string): string | undefined {
  const hashes = [...new Set(Object.values(manifest.routes[route]?.variants ?? {}))].sort();
  if (hashes.length === 0) return undefined;
  return `^${escapeRegExp(manifest.prefix)}(?:${hashes.join('|')})\\.html$`;
}

export function orderRoutes(adapter: readonly Route[], middleware: Route, cache: readonly Route[], manifest: Manifest): Route[] {
  const firstHandle = adapter.findIndex((route) => route.handle !== undefined);
  const firstPhase = adapter.slice(0, firstHandle === -1 ? adapter.length : firstHandle);
  const rest = adapter.slice(firstPhase.length);
  const pages = personalizedRoutes(manifest);
  const paths = pages.flatMap(forms);

  // The first route that would end routing for a personalized URL without redirecting it.
  let split = firstPhase.findIndex((route) => route.continue !== true && !isRedirect(route) && paths.some((path) => matcher(route)(path)));
  if (split === -1) split = firstPhase.length;
  const before = firstPhase.slice(0, split);
  const after = firstPhase.slice(split);

  const twins: Route[] = [];
  if (after.length > 0) {
    for (const page of pages) {
      const src = variantSource(manifest, page);
      // The form a visitor reaches the middleware with: the first one no earlier route redirects.
      const form = forms(page).find((path) => !before.some((route) => isRedirect(route) && matcher(route)(path)));
      const headers = src && form ? headersAlong(after, form) : undefined;
      if (src && headers) twins.push(Object.keys(headers).length > 0 ? { src, headers } : { src });
    }
  }
  return [...cache, ...before, middleware, ...twins, ...after, ...rest];
}
