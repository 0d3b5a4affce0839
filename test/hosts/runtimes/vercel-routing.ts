/**
 * Vercel's proxy, as far as the generated `.vercel/output/config.json` needs it:
 * the Build Output API v3 `routes`, applied to one request. The harness runs the
 * middleware in Vercel's edge runtime and serves files from `.vercel/output/static`;
 * this module decides which route does what, in which order.
 *
 * Where each behaviour comes from:
 * - Routes are source routes and `handle` markers; routes before the first
 *   `handle` run first, `{ handle: 'filesystem' }` checks the static files, and
 *   the routes after it run only when no file matched.
 *   Documented: https://vercel.com/docs/build-output-api/v3/configuration#routes
 *   (source routes, handler routes). The phase grouping follows `vercel dev`
 *   (getRoutesTypes and the phase loop in packages/cli/src/util/dev/router.ts and
 *   server.ts of vercel/vercel).
 * - `src` is a regular expression matched against the path, case-insensitively
 *   unless `caseSensitive`; `$1`/`$name` in `dest` and header values are filled
 *   from it; `methods` limits a route. Documented there; case-insensitivity and
 *   the substitution as `vercel dev` implements them (router.ts).
 * - A matching route without `continue` ends its phase; with `continue`, routing
 *   goes on with its `dest` (if any) as the current path. Documented there.
 * - A route with a 3xx `status` and a `Location` header is a redirect: routing
 *   ends there. Documented (redirects are routes with `status` and
 *   `headers.Location`; @vercel/routing-utils' convertTrailingSlash/convertRedirects
 *   emit exactly that).
 * - `middlewarePath`: the middleware runs when its route matches, with the
 *   request as received. `x-middleware-rewrite` replaces the current path (so
 *   every later route is matched against the rewritten path), `x-middleware-next`
 *   continues with it unchanged, any other response is the final response. Its
 *   other headers are added to the response. Documented for Routing Middleware
 *   (https://vercel.com/docs/routing-middleware/api, `rewrite()`/`next()` with
 *   headers); the path replacement is what `vercel dev` does (server.ts) and
 *   what Vercel's Next.js builder relies on (packages/next/src/server-build.ts
 *   orders header routes and redirects before its middleware route).
 * - Route headers and the middleware's headers are collected in route order,
 *   a later value replacing an earlier one (Set-Cookie is appended). ASSUMPTION:
 *   this is how `vercel dev` (combinedHeaders in router.ts) and the open Build
 *   Output routers (james-elicx/build-output-router, used by next-on-pages)
 *   merge them; Vercel does not document the merge order.
 * - `override: true` (deprecated in @vercel/routing-utils' types) resets the
 *   headers and status collected so far, as build-output-router does. ASSUMPTION.
 * - A static file is served with Vercel's default
 *   `Cache-Control: public, max-age=0, must-revalidate`; collected headers are
 *   applied over the file's own. Documented:
 *   https://vercel.com/docs/caching/cache-control-headers#default-cache-control-value
 *   (and route headers overriding it is how `/_astro/` assets are made immutable).
 * - A static file carries an `ETag`, and a request whose `If-None-Match` matches
 *   it gets a 304. ASSUMPTION: Vercel's CDN validates static files this way
 *   (it sends ETags on them; the docs do not spell out the 304).
 * - `/x/` is `x/index.html`, `/x` is `x`, `x.html` or `x/index.html`.
 *   ASSUMPTION: Vercel resolves directory indexes this way for a Build Output
 *   without `cleanUrls`; the harness uses the Node server's static layer for it.
 * - Anything else a route may say (`has`, `missing`, `check`, `locale`,
 *   `important`, `transforms`, functions as `dest`) is not modelled: the
 *   harness throws rather than guess, so a config that needs more fails loudly.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { findFile, staticResponse, type StaticSite } from '../../../packages/astro-segments/src/server/static-files.ts';

export interface VercelConfig {
  readonly version: number;
  readonly routes?: readonly Record<string, unknown>[];
}

interface SourceRoute {
  readonly src: string;
  readonly dest?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly status?: number;
  readonly continue?: boolean;
  readonly methods?: readonly string[];
  readonly caseSensitive?: boolean;
  readonly middlewarePath?: string;
  readonly middlewareRawSrc?: readonly string[];
  readonly override?: boolean;
}

/** What the proxy asks of the deployment. */
export interface VercelDeployment {
  readonly static: StaticSite;
  /** Run the middleware `name` on the request; it answers in Vercel's middleware protocol. */
  middleware(name: string, request: Request): Promise<Response>;
}

const MODELLED = new Set(['src', 'dest', 'headers', 'status', 'continue', 'methods', 'caseSensitive', 'middlewarePath', 'middlewareRawSrc', 'override']);
/** Vercel's default for static files. */
export const VERCEL_STATIC_CACHE = 'public, max-age=0, must-revalidate';

/** Group the routes by phase: `null` for the routes before the first handle. */
function phases(routes: readonly Record<string, unknown>[]): Map<string | null, SourceRoute[]> {
  const grouped = new Map<string | null, SourceRoute[]>([[null, []]]);
  let phase: string | null = null;
  for (const route of routes) {
    if (typeof route.handle === 'string') {
      phase = route.handle;
      if (!grouped.has(phase)) grouped.set(phase, []);
      continue;
    }
    const unknown = Object.keys(route).filter((key) => !MODELLED.has(key));
    if (unknown.length > 0 || typeof route.src !== 'string') {
      throw new Error(
        `The Vercel harness does not model route ${JSON.stringify(route)} (${unknown.join(', ') || 'no src'}): extend test/hosts/runtimes/vercel-routing.ts.`,
      );
    }
    grouped.get(phase)!.push(route as unknown as SourceRoute);
  }
  return grouped;
}

/** `$1`, `$name` from the match, as `vercel dev`'s resolveRouteParameters does. */
function fill(text: string, match: RegExpExecArray): string {
  return text.replace(/\$([1-9a-zA-Z]+)/g, (_, key: string) => (/^\d+$/.test(key) ? match[Number(key)] : match.groups?.[key]) ?? '');
}

function apply(target: Headers, name: string, value: string): void {
  if (name.toLowerCase() === 'set-cookie') target.append(name, value);
  else target.set(name, value);
}

interface State {
  path: string;
  search: string;
  status: number | undefined;
  headers: Headers;
  /** A response that ends routing: a redirect or the middleware's own answer. */
  final?: Response;
}

async function runPhase(routes: readonly SourceRoute[], request: Request, state: State, deployment: VercelDeployment): Promise<void> {
  for (const route of routes) {
    if (route.methods && !route.methods.map((m) => m.toUpperCase()).includes(request.method)) continue;
    const match = new RegExp(route.src, route.caseSensitive ? '' : 'i').exec(state.path);
    if (!match) continue;
    if (route.override) {
      state.headers = new Headers();
      state.status = undefined;
    }
    if (route.middlewarePath) {
      const answer = await deployment.middleware(route.middlewarePath, request);
      const rewrite = answer.headers.get('x-middleware-rewrite');
      const next = answer.headers.get('x-middleware-next') === '1';
      answer.headers.forEach((value, name) => {
        if (!name.startsWith('x-middleware-') && name !== 'set-cookie') apply(state.headers, name, value);
      });
      for (const cookie of answer.headers.getSetCookie()) state.headers.append('set-cookie', cookie);
      if (rewrite) {
        const target = new URL(rewrite, request.url);
        if (target.origin !== new URL(request.url).origin) throw new Error(`middleware rewrote to another origin: ${rewrite}`);
        state.path = target.pathname;
        state.search = target.search || state.search;
      } else if (!next) {
        state.final = answer;
        return;
      }
    }
    for (const [name, value] of Object.entries(route.headers ?? {})) apply(state.headers, name, fill(value, match));
    if (route.status) state.status = route.status;
    if (route.dest) {
      const dest = new URL(fill(route.dest, match), 'http://dest.invalid');
      state.path = dest.pathname;
      if (dest.search) state.search = dest.search;
    }
    if (state.status && state.status >= 300 && state.status < 400 && state.headers.has('location')) {
      state.final = new Response(null, { status: state.status });
      return;
    }
    if (!route.continue) return;
  }
}

/** One request through the routes, the middleware and the static files. */
export async function routeVercel(config: VercelConfig, request: Request, deployment: VercelDeployment): Promise<Response> {
  const grouped = phases(config.routes ?? []);
  const url = new URL(request.url);
  const state: State = { path: url.pathname, search: url.search, status: undefined, headers: new Headers() };
  const respond = async (file: Response, status?: number) => {
    const headers = new Headers(file.headers);
    headers.set('cache-control', VERCEL_STATIC_CACHE);
    state.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers.set(name, value);
    });
    for (const cookie of state.headers.getSetCookie()) headers.append('set-cookie', cookie);
    return new Response(file.body, { status: status ?? file.status, headers });
  };

  // `runPhase` sets `state.final`; read it through a fresh variable (TypeScript narrowed it away).
  const final = () => state.final as Response | undefined;
  /** The static file at the current path, with its ETag (304 when the request's validator matches). */
  const file = async (): Promise<Response | undefined> => {
    const found = await findFile(deployment.static, state.path);
    if (!found) return undefined;
    const response = await staticResponse(deployment.static, request.method, state.path);
    if (response.status !== 200) return response;
    const etag = `"${createHash('sha1')
      .update(await readFile(found.path))
      .digest('hex')
      .slice(0, 20)}"`;
    const headers = new Headers(response.headers);
    headers.set('etag', etag);
    if (
      request.headers
        .get('if-none-match')
        ?.split(/\s*,\s*/)
        .includes(etag)
    )
      return new Response(null, { status: 304, headers });
    return new Response(response.body, { status: response.status, headers });
  };

  await runPhase(grouped.get(null)!, request, state, deployment);
  if (final()) return respond(final()!, final()!.status);
  let served = await file();
  if (served) return respond(served, served.status === 304 ? 304 : state.status);

  if (grouped.has('filesystem')) {
    await runPhase(grouped.get('filesystem')!, request, state, deployment);
    if (final()) return respond(final()!, final()!.status);
    served = await file();
    if (served) return respond(served, served.status === 304 ? 304 : state.status);
  }
  for (const phase of grouped.keys()) {
    if (phase !== null && phase !== 'filesystem' && grouped.get(phase)!.length > 0) throw new Error(`The Vercel harness does not model the "${phase}" phase.`);
  }
  return respond(new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }), 404);
}
