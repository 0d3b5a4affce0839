/**
 * Each host's way of saying "run the router on these URLs", from the
 * manifest's route keys (normalized public paths: `/`, `/pricing`).
 *
 * Matching too much is harmless (the router passes any other path through
 * untouched); matching too little only serves the default page. So where a
 * host might compare the raw or the decoded path, both forms are listed.
 */
import type { Manifest } from '@astro-segments/edge';

/** Every URL form a static host serves a page at: `/x` and `/x/` (just `/` for the root). */
function forms(route: string): string[] {
  const paths = new Set<string>();
  for (const path of new Set([route, encodeURI(route)])) {
    paths.add(path);
    if (path !== '/') paths.add(`${path}/`);
  }
  return [...paths];
}

export const personalizedRoutes = (manifest: Manifest): string[] =>
  Object.keys(Object(manifest.routes))
    .filter((route) => route.startsWith('/'))
    .sort();

/** Netlify `config.path`: URLPattern pathnames, so URLPattern's syntax characters are escaped. */
export const netlifyPaths = (manifest: Manifest): string[] =>
  personalizedRoutes(manifest)
    .flatMap(forms)
    .map((path) => path.replace(/[\\:*(){}?+]/g, '\\$&'));

/** Cloudflare `assets.run_worker_first`: literal paths (a `*` there is a wildcard, which only widens the match). */
export const cloudflarePatterns = (manifest: Manifest): string[] => personalizedRoutes(manifest).flatMap(forms);

/** A literal text inside a regular expression (Vercel's `src` is one). */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Vercel Build Output API route `src`: one anchored regular expression. */
export const vercelSource = (manifest: Manifest): string => `^(?:${personalizedRoutes(manifest).flatMap(forms).map(escapeRegExp).join('|')})$`;
