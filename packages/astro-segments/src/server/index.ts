/**
 * A Node server for a built site, personalized by the same router as the edge
 * hosts, and the same router as Node middleware for a server of your own. The
 * router runs only for personalized routes (one lookup decides), before any
 * other work; everything is served by one static layer (static-layer.ts), the
 * variant files too, with the router's headers. It writes no log.
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeKey, type Manifest } from '@astro-segments/edge';
import { usableManifest } from '@astro-segments/edge/validate';
import { guardedDecider } from '../request/decider.ts';
import { lazySignalsOf, nodeRequestView } from '../request/request-view.ts';
import { staticLayer, type StaticLayer } from './static-layer.ts';

export interface SegmentsServerOptions {
  /** The built site (Astro's `outDir`). */
  readonly dir: string | URL;
  /**
   * The manifest; when omitted, read from the site: `<dir>/_segments/manifest.json`, or the
   * folder the site's `prefix` option named (the manifest says where it lives).
   */
  readonly manifest?: Manifest;
  /**
   * URL path the site is served under (Astro's `base`).
   * @default the base the site was built with, read from its manifest; `/` without one
   */
  readonly base?: string;
  /**
   * The visitor's country from a source you trust, e.g. a header your proxy
   * sets and overwrites. Never return a header a client can send straight to
   * this server. @default no geo
   */
  readonly country?: (request: IncomingMessage) => string | undefined;
  /**
   * Treat `X-Forwarded-Proto: https` as HTTPS (the `__Host-` cookie), for a
   * server behind a TLS proxy that sets that header. @default false
   */
  readonly trustForwardedProto?: boolean;
}

/**
 * Node (Express, Fastify, Hono-on-Node, `node:http`) middleware: `next()` for anything the
 * router leaves alone. It decides before it returns (the response started, or `next()`
 * called) and never changes `req`.
 */
export type SegmentsMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export function createSegmentsServer(options: SegmentsServerOptions): Server {
  const { route, files } = setUp(options);
  return createServer((req, res) => {
    const target = pathOf(req.url ?? '/');
    const pathname = pathnameOf(target);
    if (!route(req, res, target, pathname)) files.serve(req, res, pathname);
  });
}

/**
 * The router in front of your own static handler: personalized routes are answered here
 * (the chosen variant file, or the page's own file, with `Cache-Control: private`); every
 * other request goes to `next()` untouched.
 */
export function segmentsMiddleware(options: SegmentsServerOptions): SegmentsMiddleware {
  const { route } = setUp(options);
  return (req, res, next) => {
    const target = pathOf(req.url ?? '/');
    if (!route(req, res, target, pathnameOf(target))) next();
  };
}

/** Answers a request for a personalized route and says so; any other request is left alone (false). */
type Route = (req: IncomingMessage, res: ServerResponse, target: string, pathname: string) => boolean;

function setUp(options: SegmentsServerOptions): { route: Route; files: StaticLayer } {
  const dir = realpathSync(typeof options.dir === 'string' ? options.dir : fileURLToPath(options.dir));
  const manifest = options.manifest ?? readManifest(dir);
  const base = `/${(options.base ?? siteBase(manifest)).replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  const files = staticLayer({ root: dir, base, prefix: variantPrefix(manifest, base) });
  const decider = guardedDecider();
  const route: Route = (req, res, target, pathname) => {
    try {
      const method = req.method ?? 'GET';
      // The route first: a request the router does not own costs this one lookup.
      if (!manifest || routeKey(method, pathname, manifest) === null) return false;
      // One answer per URL whatever the signals: a form of the page's URL the site has no file
      // for (`/a.html` of a page built as `/a/index.html`) is the static layer's answer, a 404,
      // for every visitor, and a choice or a reset made there is not stored.
      const page = files.find(pathname);
      if (!page) return false;
      const secure = options.trustForwardedProto === true && req.headers['x-forwarded-proto'] === 'https';
      const request = nodeRequestView(req, target, secure);
      const decision = decider(lazySignalsOf(request, manifest, options.country?.(req)), manifest);
      if (!decision) return false;
      const variant = decision.path === null ? undefined : files.find(decision.path);
      const file = variant ?? page;
      // A missing variant file serves the default page, and the choice is not stored since it was not shown.
      const headers = decision.path !== null && !variant ? { 'Cache-Control': 'private, no-cache' } : decision.headers;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      if (decision.setCookie && !(decision.path !== null && !variant)) res.appendHeader('Set-Cookie', decision.setCookie);
      // Variant files are content-addressed: their hash is their entity tag, never shared with another
      // file. A range of a page that differs per visitor is not worth its risk: the whole page.
      files.send(req, res, file, { tag: variant?.slice(variant.lastIndexOf('/') + 1, -5), ranges: false });
      return true;
    } catch {
      // The router never turns a request into an error: the host's own answer.
      if (!res.headersSent) for (const name of ['cache-control', 'set-cookie', 'x-segments', 'etag']) res.removeHeader(name);
      return false;
    }
  };
  return { route, files };
}

/**
 * The base path a site was built for: its manifest's prefix less the variant folder
 * (`/blog/_segments/` → `/blog/`), `/` without a manifest. Served under any other, the router
 * would find none of its pages.
 */
function siteBase(manifest: Manifest | undefined): string {
  try {
    const prefix = typeof manifest?.prefix === 'string' ? manifest.prefix : '/';
    return prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1) || '/';
  } catch {
    // Reading it failed: the router will reject this manifest too.
    return '/';
  }
}

/** The base `createSegmentsServer` serves the built site in `dir` under when given none (for printing its URL). */
export function defaultBase(dir: string): string {
  return siteBase(readManifest(realpathSync(dir)));
}

/** The path of a request target (`/a/b?x=1` → `/a/b`). */
function pathnameOf(target: string): string {
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}

/** Path and query of the request target, dot segments resolved; an absolute-form target (`GET http://host/x`) gives its path. */
function pathOf(target: string): string {
  if (target.startsWith('/') && !/\/\.|\\|%2e/i.test(target)) return target;
  try {
    const url = new URL(target, 'http://localhost');
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.pathname + url.search;
  } catch {
    // Not a URL: the root.
  }
  return '/';
}

/** Where the immutable variant files are; a manifest that cannot tell gets the default name. */
function variantPrefix(manifest: Manifest | undefined, base: string): string {
  try {
    if (typeof manifest?.prefix === 'string' && manifest.prefix.startsWith(base)) return manifest.prefix;
  } catch {
    // Reading it failed: the router will reject this manifest too.
  }
  return `${base}_segments/`;
}

/**
 * The site's manifest: `_segments/manifest.json`, or the one in the folder a non-default
 * `prefix` named (its own `prefix` must end with that folder). A missing, unreadable or
 * invalid manifest serves every page as its default: no router.
 */
function readManifest(dir: string): Manifest | undefined {
  const folders = [
    '_segments',
    ...readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== '_segments')
      .map((entry) => entry.name),
  ];
  for (const folder of folders) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(join(dir, folder, 'manifest.json'), 'utf8'));
    } catch {
      continue;
    }
    const usable = usableManifest(manifest);
    if (usable?.prefix.endsWith(`/${folder}/`)) return usable;
    if (folder === '_segments') return undefined;
  }
  return undefined;
}
