/**
 * Netlify's CDN as the edge function's `context.next()` reaches it: the
 * published folder over HTTP on 127.0.0.1, with the headers Netlify serves on
 * static files.
 *
 * Where each behaviour comes from:
 * - Every static file gets `Cache-Control: public,max-age=0,must-revalidate`
 *   and an `ETag`; a request whose `If-None-Match` matches gets a 304.
 *   Documented: https://docs.netlify.com/platform/caching/#default-caching-behavior
 *   ("public, max-age=0, must-revalidate", revalidation through ETags).
 * - Rules of a `_headers` file in the published folder apply to the files
 *   Netlify serves from its own store, including the file `context.next()`
 *   fetches for a rewritten request; a header set there replaces Netlify's
 *   default of the same name. Documented:
 *   https://docs.netlify.com/routing/headers/ ("custom headers apply only to
 *   files Netlify serves from our own backing store"). The reading of
 *   Netlify's edge bootstrap (@netlify/edge-functions-dev) is that
 *   `context.next(request)` returns that origin response as is.
 * - Several matching rules all apply; the same header from two rules is
 *   joined with ", ". ASSUMPTION: as Netlify's CLI implements `_headers`
 *   (netlify/cli src/utils/headers) and Cloudflare documents for the same
 *   format; Netlify's page does not say.
 * - Paths: `*` alone in a segment matches the rest of the path (or nothing),
 *   `*` inside a segment matches any characters, `:name` one segment.
 *   ASSUMPTION: the CLI's matcher, which says production uses the same regexes.
 * - `/x/` is `x/index.html`; `/x` is `x`, `x.html` or `x/index.html` (no
 *   redirect); a missing file is the site's 404.html with status 404; other
 *   methods than GET and HEAD get 405. ASSUMPTION (the Node server's static
 *   layer does exactly this); Netlify's "pretty URLs" may redirect instead.
 * - Netlify's CDN never caches an edge function's response unless the
 *   function's config says `cache: 'manual'`, which the generated one never
 *   does. Documented: https://docs.netlify.com/edge-functions/optional-configuration/
 *   (`cache`), https://docs.netlify.com/platform/caching/ — so this origin
 *   keeps no cache: what a visitor gets is what the function returned.
 * - The request limits are Node's (16 KiB of headers, then 431), not Netlify's.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { findFile, staticResponse, type StaticSite } from '../../../packages/astro-segments/src/server/static-files.ts';

/** Netlify writes it without spaces; the same directives, spelled as the conformance table does. */
export const NETLIFY_STATIC_CACHE = 'public, max-age=0, must-revalidate';

interface Rule {
  readonly pattern: RegExp;
  readonly headers: readonly (readonly [string, string])[];
}

/** `_headers` as Netlify reads it: a path line, then indented `Name: value` lines. */
export function parseHeadersFile(text: string): Rule[] {
  const rules: { path: string; headers: [string, string][] }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (/^\S/.test(line)) rules.push({ path: line.trim(), headers: [] });
    else {
      const colon = line.indexOf(':');
      if (colon > 0 && rules.length > 0) rules.at(-1)!.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
  }
  return rules.map(({ path, headers }) => ({ pattern: pathPattern(path), headers }));
}

function pathPattern(path: string): RegExp {
  const parts = path.split('/').filter(Boolean);
  let source = '';
  for (const part of parts) {
    if (part === '*') source += '(?:/.*)?';
    else if (part.startsWith(':')) source += '/[^/]+';
    else
      source += `/${part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}`;
  }
  return new RegExp(`^${source || '/'}/?$`);
}

export interface NetlifyOrigin {
  readonly url: string;
  stop(): Promise<void>;
}

export interface OriginOptions {
  /** Drop the connection for these requests, as an origin that fails would (a fault for tests). */
  readonly fails?: (pathname: string) => boolean;
}

export async function startNetlifyOrigin(dir: string, options: OriginOptions = {}): Promise<NetlifyOrigin> {
  const site: StaticSite = { root: realpathSync(dir), base: '/', prefix: '/_segments/' };
  let rules: Rule[] = [];
  try {
    rules = parseHeadersFile(readFileSync(join(dir, '_headers'), 'utf8'));
  } catch {
    // No _headers file: Netlify's defaults only.
  }
  const server: Server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      // The path as sent (`//x` is a path here, not a host).
      const pathname = (req.url ?? '/').split('?')[0]!;
      if (options.fails?.(pathname)) return void req.socket.destroy();
      const file = await staticResponse(site, method, pathname);
      const found = file.status === 200 ? await findFile(site, pathname) : undefined;
      const headers = new Headers(file.headers);
      headers.set('cache-control', NETLIFY_STATIC_CACHE);
      const body = method === 'HEAD' || file.status === 405 ? null : Buffer.from(await file.arrayBuffer());
      if (found) headers.set('etag', `"${createHash('sha1').update(readFileSync(found.path)).digest('hex').slice(0, 20)}"`);
      const custom = new Map<string, string>();
      for (const rule of rules) {
        if (!rule.pattern.test(pathname)) continue;
        for (const [name, value] of rule.headers)
          custom.set(name.toLowerCase(), custom.has(name.toLowerCase()) ? `${custom.get(name.toLowerCase())}, ${value}` : value);
      }
      for (const [name, value] of custom) headers.set(name, value);
      const etag = headers.get('etag');
      const status = etag && req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag) ? 304 : file.status;
      res.writeHead(status, Object.fromEntries(headers));
      res.end(status === 304 ? undefined : (body ?? undefined));
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
