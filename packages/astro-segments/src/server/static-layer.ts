/**
 * The static layer: `sirv` (the static server Vite uses) serves every file,
 * with ETag and 304, HEAD, Content-Length, Last-Modified, byte ranges and
 * precompressed `.br` / `.gz` siblings; a compressible file without a sibling
 * is compressed here (compression.ts). What it serves is decided here, the
 * way common static hosts resolve URLs: `/x/` → `x/index.html`; `/x` → `x`,
 * `x.html`, then `x/index.html`. Only files found when the server starts are
 * ever served, never a dot-file (except under `.well-known`), never the
 * `_headers` and `_redirects` files Netlify and Cloudflare read as their
 * configuration and do not serve, and never a symlink leading outside the site
 * folder.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import sirv from 'sirv';
import { IMMUTABLE } from '../hosts/cache-headers.ts';
import { acceptedCodings, compressedFiles, isCompressible, type Coding } from './compression.ts';

export const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** What every public file gets: revalidate, so a new deploy shows at once. */
export const REVALIDATE = 'public, max-age=0, must-revalidate';

export interface StaticSite {
  /** Real path of the site folder. */
  readonly root: string;
  /** URL path the site is mounted at (Astro's `base`), with a trailing slash. */
  readonly base: string;
  /** URL prefix of the variant files (the manifest's `prefix`), with the base. */
  readonly prefix: string;
}

interface FileInfo {
  readonly type: string;
  readonly cacheControl: string;
  readonly compressible: boolean;
  /** The file's path as a URL, for sirv. */
  readonly url: string;
}

/** How `send` may answer besides the whole file. */
export interface SendOptions {
  /**
   * A strong entity tag for the file's content (a variant file's hash), used instead of the
   * file's own, with the coding appended for a compressed representation.
   */
  readonly tag?: string;
  /** Answer a well-formed `Range` with that range. @default true */
  readonly ranges?: boolean;
  /** Answer a matching `If-None-Match` with 304. @default true */
  readonly conditional?: boolean;
}

export interface StaticLayer {
  /** The site-relative file (`/pricing/index.html`) a URL path names, or undefined. */
  find(pathname: string): string | undefined;
  /**
   * Serve `file` (from `find`); headers already set on `res` win over the file's own. The
   * request is read, never changed: a server of the user's own logs and routes it as it came.
   */
  send(req: IncomingMessage, res: ServerResponse, file: string, options?: SendOptions): void;
  /** The host's answer for a path nothing else handles: the file, the 404 page, or 405. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): void;
}

export function staticLayer(site: StaticSite): StaticLayer {
  const files = siteFiles(site.root);
  // The variant folder inside the site (the prefix without the base).
  const folder = site.prefix.slice(site.base.length - 1);
  const variant = (file: string) => file.startsWith(folder) && /^[a-z0-9]{6,64}\.html$/.test(file.slice(folder.length));
  const cacheControl = (file: string) => (variant(file) ? IMMUTABLE : REVALIDATE);
  // What each file is served with, worked out once per file.
  const described = new Map<string, FileInfo>();
  const describe = (file: string): FileInfo => {
    let info = described.get(file);
    if (!info) {
      const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      // Only content-hashed variant files are immutable: the manifest beside them is not hashed.
      info = { type, cacheControl: cacheControl(file), compressible: isCompressible(type), url: encodeURI(file) };
      described.set(file, info);
    }
    return info;
  };
  const handler = sirv(site.root, {
    etag: true,
    gzip: true,
    brotli: true,
    extensions: [],
    setHeaders(res, pathname) {
      // `pathname` is the file's URL set below, decoded by sirv: the file.
      const info = describe(pathname);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (!res.hasHeader('content-type')) res.setHeader('Content-Type', info.type);
      if (!res.hasHeader('cache-control')) res.setHeader('Cache-Control', info.cacheControl);
    },
  });
  const resolve = (pathname: string): string | undefined => {
    let path: string;
    try {
      path = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (!path.startsWith(site.base)) return undefined;
    // Repeated slashes read as one, as a path join (and the previous static layer) reads them.
    const rest = `/${path.slice(site.base.length)}`.replace(/\/+/g, '/');
    const candidates = rest.endsWith('/') ? [`${rest}index.html`] : [rest, `${rest}.html`, `${rest}/index.html`];
    return candidates.find((candidate) => files.has(candidate));
  };
  // The files are fixed at start, so is what a path names: each path is resolved once (a bounded memory).
  const found = new Map<string, string | undefined>();
  const find = (pathname: string): string | undefined => {
    if (found.has(pathname)) return found.get(pathname);
    const file = resolve(pathname);
    if (found.size >= 10_000) found.clear();
    found.set(pathname, file);
    return file;
  };
  const compressed = compressedFiles();
  /**
   * sirv sends `file` (or its sibling for `coding`), tagged `tag` when given, else as sirv
   * tags it. sirv gets a request of its own: the file's URL, the coding already chosen, the
   * range if one is served, and no `If-None-Match` (every 304 is answered here, with the
   * headers RFC 9110 asks of it, which sirv's own 304 leaves out).
   */
  const viaSirv = (
    req: IncomingMessage,
    res: ServerResponse,
    file: string,
    coding: Coding | undefined,
    tag: string | undefined,
    range: string | undefined,
    conditional: boolean,
  ) => {
    const etag = tag === undefined ? files.get(coding ? sibling(file, coding) : file)! : coding ? `"${tag}-${coding}"` : `"${tag}"`;
    if (answeredUnchanged(req, res, etag, describe(file).cacheControl, conditional)) return;
    const headers: IncomingMessage['headers'] = { 'accept-encoding': coding ?? '' };
    if (range) headers.range = range;
    handler({ url: describe(file).url, method: req.method, headers } as IncomingMessage, res, () => {
      res.statusCode = 404;
      res.end();
    });
  };
  /** The file compressed on the fly (kept in memory), or as it is when that does not pay. */
  const viaMemory = async (req: IncomingMessage, res: ServerResponse, file: string, coding: Coding, tag: string | undefined, conditional: boolean) => {
    const entry = await compressed(join(site.root, file), coding).catch(() => undefined);
    if (!entry || res.headersSent) return viaSirv(req, res, file, undefined, tag, undefined, conditional);
    const etag = tag !== undefined ? `"${tag}-${coding}"` : `W/"${entry.size}-${entry.mtime.getTime()}-${coding}"`;
    const info = describe(file);
    if (answeredUnchanged(req, res, etag, info.cacheControl, conditional)) return;
    const own: Record<string, string> = {
      'Content-Type': info.type,
      'Last-Modified': entry.mtime.toUTCString(),
      'X-Content-Type-Options': 'nosniff',
    };
    for (const [name, value] of Object.entries(own)) if (!res.hasHeader(name)) res.setHeader(name, value);
    res.setHeader('Content-Encoding', coding);
    res.setHeader('Content-Length', entry.body.length);
    res.writeHead(200);
    res.end(req.method === 'HEAD' ? undefined : entry.body);
  };
  const send = (req: IncomingMessage, res: ServerResponse, file: string, { tag, ranges = true, conditional = true }: SendOptions = {}) => {
    // sirv's range parsing is loose: pass only one well-formed range, and none that If-Range qualifies.
    const asked = ranges && req.headers['if-range'] === undefined ? /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '') : null;
    const range = asked && !(asked[2] && Number(asked[2]) < Number(asked[1])) ? asked[0] : undefined;
    // A range is of the file as it is: no coding.
    const codings = range ? [] : acceptedCodings(req.headers['accept-encoding']);
    for (const coding of codings) {
      if (files.has(sibling(file, coding))) return viaSirv(req, res, file, coding, tag, undefined, conditional);
      if (describe(file).compressible) return void viaMemory(req, res, file, coding, tag, conditional);
    }
    viaSirv(req, res, file, undefined, tag, range, conditional);
  };
  return {
    find,
    send,
    serve(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Cache-Control': REVALIDATE }).end();
        return;
      }
      const file = find(pathname);
      if (file) return send(req, res, file);
      res.statusCode = 404;
      res.setHeader('Cache-Control', REVALIDATE);
      if (files.has('/404.html')) {
        // sirv answers 200: the 404 page goes through it with the status already decided.
        const writeHead = res.writeHead.bind(res);
        res.writeHead = ((_: number, ...rest: never[]) => writeHead(404, ...rest)) as typeof res.writeHead;
        return send(req, res, '/404.html', { ranges: false, conditional: false });
      }
      res.setHeader('Content-Type', TYPES['.txt']!);
      res.end(req.method === 'HEAD' ? undefined : 'Not found\n');
    },
  };
}

/** The precompressed sibling of `file` for `coding` (`x.css.br`, `x.css.gz`). */
const sibling = (file: string, coding: Coding) => `${file}.${coding === 'br' ? 'br' : 'gz'}`;

/**
 * Tag the response with `etag` and answer 304 when the request holds that representation
 * already. The 304 carries what the 200 would have (RFC 9110, section 15.4.5): the tag,
 * `Vary` and `Cache-Control` (the router's, when it set one, else the file's).
 */
function answeredUnchanged(req: IncomingMessage, res: ServerResponse, etag: string, cacheControl: string, conditional: boolean): boolean {
  res.setHeader('ETag', etag);
  // Which representation a request gets depends on its Accept-Encoding, 304 included.
  res.setHeader('Vary', 'Accept-Encoding');
  if (!res.hasHeader('cache-control')) res.setHeader('Cache-Control', cacheControl);
  if (!conditional || !holdsTag(req.headers['if-none-match'], etag)) return false;
  res.writeHead(304).end();
  return true;
}

/**
 * Whether an `If-None-Match` list names `etag`, by the weak comparison the field uses
 * (`W/"x"` matches `"x"`), or is `*` (RFC 9110, section 13.1.2).
 */
function holdsTag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (let item of header.split(',')) {
    item = item.trim();
    if (item === '*' || (item.startsWith('W/') ? item.slice(2) : item) === opaque) return true;
  }
  return false;
}

/** Files at the site's root that static hosts read as their configuration, never serve (`_headers` lists every variant file). */
const HOST_CONFIGURATION: ReadonlySet<string> = new Set(['_headers', '_redirects']);

/**
 * Every file under `root` by URL path (`/a/b.html`), resolved through symlinks, never outside
 * `root`, with the entity tag sirv gives it (its size and time, as sirv read them at start).
 */
function siteFiles(root: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const name = relative(root, path).split(sep).join('/');
    // No dot-files or dot-folders (and so no `..` segment), except `.well-known`.
    if (name.split('/').some((segment) => segment.startsWith('.') && segment !== '.well-known') || HOST_CONFIGURATION.has(name)) continue;
    try {
      const real = realpathSync(path);
      const stats = real.startsWith(root + sep) ? statSync(real) : undefined;
      if (stats?.isFile()) found.set(`/${name}`, `W/"${stats.size}-${stats.mtime.getTime()}"`);
    } catch {
      // A dangling link: nothing to serve.
    }
  }
  return found;
}
