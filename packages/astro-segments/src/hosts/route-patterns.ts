/**
 * Each host's way of saying "run the router on these URLs", from the
 * manifest's route keys (normalized public paths: `/`, `/pricing`).
 *
 * Only the URL form the host serves the page's own file at: `/pricing/` for
 * `pricing/index.html`, `/pricing` for `pricing.html`. The other form is the
 * host's to answer (Cloudflare and Netlify redirect it), and so it answers it
 * the same for every visitor: were the router to run there too, visitors with a
 * signal would get their variant at a URL that redirects everyone else. Where a
 * host might compare the raw or the decoded path, both encodings are listed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '@astro-segments/edge';

/** Which file a route's page was built as: at `/x/` (`x/index.html`), at `/x` (`x.html`), or unknown (both forms). */
export type ServedForm = (route: string) => 'folder' | 'file' | undefined;

/** The URL forms of a route the router runs on: `/x/` or `/x` as its file is served, both when unknown (just `/` for the root). */
function forms(route: string, served: ServedForm | undefined): string[] {
  const form = route === '/' ? 'folder' : served?.(route);
  const paths = new Set<string>();
  for (const path of new Set([route, encodeURI(route)])) {
    if (form !== 'folder' || path === '/') paths.add(path);
    if (form !== 'file' && path !== '/') paths.add(`${path}/`);
  }
  return [...paths];
}

/**
 * How each route's page sits in the built site `outDir` (the base path, which route keys
 * carry and files do not, is the manifest's prefix less its folder).
 */
export function servedForms(outDir: URL, manifest: Manifest): ServedForm {
  const prefix = String(manifest.prefix);
  const base = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  const dir = fileURLToPath(outDir);
  return (route) => {
    if (!route.startsWith(base.slice(0, -1))) return undefined;
    const page = route.slice(base.length - 1).replace(/^\/+/, '');
    if (existsSync(join(dir, page, 'index.html'))) return 'folder';
    if (page && existsSync(join(dir, `${page}.html`))) return 'file';
    return undefined;
  };
}

export const personalizedRoutes = (manifest: Manifest): string[] =>
  Object.keys(Object(manifest.routes))
    .filter((route) => route.startsWith('/'))
    .sort();

/** Netlify `config.path`: URLPattern pathnames, so URLPattern's syntax characters are escaped. */
export const netlifyPaths = (manifest: Manifest, served?: ServedForm): string[] =>
  personalizedRoutes(manifest)
    .flatMap((route) => forms(route, served))
    .map((path) => path.replace(/[\\:*(){}?+]/g, '\\$&'));

/** Cloudflare `assets.run_worker_first`: literal paths (a `*` there is a wildcard, which only widens the match). */
export const cloudflarePatterns = (manifest: Manifest, served?: ServedForm): string[] => personalizedRoutes(manifest).flatMap((route) => forms(route, served));

/** A literal text inside a regular expression (Vercel's `src` is one). */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Vercel Build Output API route `src`: one anchored regular expression, on both forms: the
 * adapter's own trailing-slash redirects come before it (write-vercel.ts).
 */
export const vercelSource = (manifest: Manifest): string =>
  `^(?:${personalizedRoutes(manifest)
    .flatMap((route) => forms(route, undefined))
    .map(escapeRegExp)
    .join('|')})$`;
