/**
 * Static files as Web Responses (the Vercel harness's stand-in for Vercel's
 * filesystem; the Node server serves through static-layer.ts), resolved the way common static hosts do:
 * `/x/` → `x/index.html`, `/x` → `x`, `x.html` or `x/index.html`. A file is
 * only ever served from inside the site folder: every candidate is resolved
 * (symlinks too) and checked against the folder's own real path.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { IMMUTABLE } from '../hosts/cache-headers.ts';
import { REVALIDATE, TYPES, type StaticSite } from './static-layer.ts';

export { IMMUTABLE, REVALIDATE, type StaticSite };

/**
 * The response a static host gives for `pathname`: the file, the 404 page, or
 * 405 for methods other than GET and HEAD. HEAD gets GET's headers, no body.
 */
export async function staticResponse(site: StaticSite, method: string, pathname: string): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') {
    return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD', 'Cache-Control': REVALIDATE } });
  }
  const file = await findFile(site, pathname);
  if (file) return fileResponse(file, 200, method, cacheControl(site, pathname));
  const notFound = await inside(site.root, join(site.root, '404.html'));
  if (notFound) return fileResponse(notFound, 404, method, REVALIDATE);
  return new Response(method === 'HEAD' ? null : 'Not found\n', {
    status: 404,
    headers: { 'Content-Type': TYPES['.txt']!, 'Cache-Control': REVALIDATE },
  });
}

/** A variant file for the router: the file, or an empty 404 when it is missing. */
export async function assetResponse(site: StaticSite, method: string, pathname: string): Promise<Response> {
  const file = await findFile(site, pathname);
  return file ? fileResponse(file, 200, method, cacheControl(site, pathname)) : new Response(null, { status: 404 });
}

/** The file a URL path names, or undefined. Never a path outside the site. */
export async function findFile(site: StaticSite, pathname: string): Promise<{ path: string; size: number } | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (!path.startsWith(site.base) || path.includes('\0') || path.includes('\\')) return undefined;
  const relative = path.slice(site.base.length);
  // No dot-files or dot-folders (and so no `..` segment), except `.well-known`.
  if (relative.split('/').some((segment) => segment.startsWith('.') && segment !== '.well-known')) return undefined;
  const candidates = relative === '' || relative.endsWith('/') ? [`${relative}index.html`] : [relative, `${relative}.html`, `${relative}/index.html`];
  for (const candidate of candidates) {
    const found = await inside(site.root, join(site.root, candidate));
    if (found) return found;
  }
  return undefined;
}

async function inside(root: string, candidate: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const real = await realpath(candidate);
    if (!real.startsWith(root + sep)) return undefined;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}

function cacheControl(site: StaticSite, pathname: string): string {
  // Only content-hashed variant files: the manifest beside them is not hashed.
  return pathname.startsWith(site.prefix) && /^[a-z0-9]{6,64}\.html$/.test(pathname.slice(site.prefix.length)) ? IMMUTABLE : REVALIDATE;
}

function fileResponse(file: { path: string; size: number }, status: number, method: string, cache: string): Response {
  const headers = {
    'Content-Type': TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(file.size),
    'Cache-Control': cache,
    'X-Content-Type-Options': 'nosniff',
  };
  if (method === 'HEAD') return new Response(null, { status, headers });
  return new Response(Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>, { status, headers });
}
