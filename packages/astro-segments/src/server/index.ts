/**
 * A small Node server for a built site, personalized by the same router as the
 * edge hosts: every request goes through the core `serve()`, which reads the
 * chosen variant file or falls back to the public file. It writes no log.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { holdout, serve, type Decider, type Manifest } from '@astro-segments/edge';
import { checkName } from 'remark-segments/condition';
import { assetResponse, staticResponse, type StaticSite } from './static-files.ts';

export interface SegmentsServerOptions {
  /** The built site (Astro's `outDir`). */
  readonly dir: string | URL;
  /** The manifest; read from `<dir>/_segments/manifest.json` when omitted. */
  readonly manifest?: Manifest;
  /** URL path the site is served under (Astro's `base`). @default '/' */
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

export function createSegmentsServer(options: SegmentsServerOptions): Server {
  const dir = typeof options.dir === 'string' ? options.dir : fileURLToPath(options.dir);
  const manifest = options.manifest ?? readManifest(join(dir, '_segments', 'manifest.json'));
  const base = `/${(options.base ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  const site: StaticSite = { root: realpathSync(dir), base, prefix: variantPrefix(manifest, base) };
  // `holdout()` is the plain router for a manifest without a holdout; it reads the manifest
  // per request, inside the router's guard.
  const decider = holdout();
  return createServer((req, res) => {
    handle(req, res, site, manifest, options, decider).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end();
    });
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  site: StaticSite,
  manifest: Manifest,
  options: SegmentsServerOptions,
  decider: Decider,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const secure = options.trustForwardedProto === true && req.headers['x-forwarded-proto'] === 'https';
  // The host is fixed: the router needs the path, query and scheme, never the Host header.
  const url = new URL(`${secure ? 'https' : 'http'}://localhost${requestPath(req.url ?? '/')}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headersDistinct)) {
    for (const v of value ?? []) {
      try {
        headers.append(name, v);
      } catch {
        // A header the Fetch API refuses cannot matter to the router.
      }
    }
  }
  const next = () => staticResponse(site, method, url.pathname);
  let request: Request;
  try {
    request = new Request(url, { method, headers });
  } catch {
    // A method the Fetch API forbids (CONNECT, TRACE): not the router's, the static answer is 405.
    return send(res, method, await next());
  }
  const response = await serve(request, manifest, { country: options.country?.(req) }, {
    asset: (path) => assetResponse(site, method, new URL(path, url).pathname),
    next,
  }, decider);
  await send(res, method, response);
}

async function send(res: ServerResponse, method: string, response: Response): Promise<void> {
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  res.writeHead(response.status, out);
  if (method === 'HEAD' || !response.body) {
    await response.body?.cancel();
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res);
}

/** Path and query of the request target; an absolute-form target (`GET http://host/x`) gives its path. */
function requestPath(target: string): string {
  if (target.startsWith('/')) return target;
  try {
    const url = new URL(target);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.pathname + url.search;
  } catch {
    // Not a URL: the root.
  }
  return '/';
}

/** Where the immutable variant files are; a manifest that cannot tell gets the default name. */
function variantPrefix(manifest: Manifest, base: string): string {
  try {
    if (typeof manifest.prefix === 'string' && manifest.prefix.startsWith('/')) return manifest.prefix;
  } catch {
    // Reading it failed: the router will reject this manifest too.
  }
  return `${base}_segments/`;
}

/** A missing, unreadable or malformed manifest serves every page as its default: the router rejects it. */
function readManifest(file: string): Manifest {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return writesOnlyValidCookies(manifest) ? manifest : (null as unknown as Manifest);
  } catch {
    return null as unknown as Manifest;
  }
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The router writes the manifest's cookie name, lifetime and declared names into Set-Cookie
 * as they are: the build checked them, but this file is read at run time, so check them again.
 */
function writesOnlyValidCookies({ cookie, dimensions, holdout }: Manifest): boolean {
  return (
    // The holdout's group cookie: its name is written as it is (its value is a fixed word).
    (holdout === undefined || (typeof holdout.cookie === 'string' && COOKIE_NAME.test(holdout.cookie) && Number.isInteger(holdout.maxAge) && holdout.maxAge >= 0 && holdout.maxAge <= 400 * 86_400)) &&
    typeof cookie.name === 'string' &&
    COOKIE_NAME.test(cookie.name) &&
    Number.isInteger(cookie.maxAge) &&
    cookie.maxAge >= 0 &&
    cookie.maxAge <= 400 * 86_400 &&
    dimensions.every((dimension) => checkName(dimension.name) === undefined && dimension.values.every((value) => checkName(value.name) === undefined))
  );
}
