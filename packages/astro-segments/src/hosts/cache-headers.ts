/**
 * Variant files are content-addressed (`<prefix><hash>.html`), so they may be
 * cached forever; the router's own response at the public URL says `private`.
 * Only those files: the manifest and a published report live in the same
 * folder and change with every build, so each rule names a variant file,
 * never the folder.
 *
 * - Netlify and Cloudflare read a `_headers` file in the published folder, and
 *   match its rules against the path the file is served at. Netlify serves
 *   the file at `<hash>.html`. Cloudflare's assets redirect `<hash>.html` to
 *   `<hash>` (the default `html_handling`) and serve it there, so its rule
 *   names that path. https://developers.cloudflare.com/workers/static-assets/routing/advanced/html-handling/
 *   Cloudflare applies at most 100 rules and skips the rest
 *   (https://developers.cloudflare.com/workers/static-assets/headers/#custom-headers):
 *   past that, the build says so; those files keep the default revalidating header.
 * - Vercel: header routes in `config.json`, placed before the router's middleware
 *   route (see vercel-routes.ts), so they only ever match a direct request.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Manifest } from '@astro-segments/edge';
import type { HostContext } from './context.ts';
import type { HostName } from './detect-host.ts';
import { escapeRegExp } from './route-patterns.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Cloudflare's documented limit; Netlify documents none. */
const MAX_CLOUDFLARE_RULES = 100;
/** Vercel's limit for one route's `src` is 4096 characters: stay well under it. */
const FILES_PER_VERCEL_ROUTE = 150;

const BEGIN = '# astro-segments: content-hashed variant files never change under the same name';
const END = '# astro-segments: end';

/** Every variant file the manifest names, as a URL path, sorted and once each. */
export function variantPaths(manifest: Manifest): string[] {
  const names = new Set<string>();
  for (const entry of Object.values(Object(manifest.routes) as Manifest['routes'])) {
    for (const hash of Object.values(Object(entry?.variants) as Record<string, unknown>)) {
      if (typeof hash === 'string' && /^[a-z0-9]{6,64}$/.test(hash)) names.add(hash);
    }
  }
  return [...names].sort().map((hash) => `${manifest.prefix}${hash}.html`);
}

/**
 * Write (or replace) this integration's block in `<outDir>/_headers`, keeping the
 * site's own rules (Astro copies `public/_headers` there first).
 */
export async function writeCacheHeaders(
  { outDir, manifest, logger }: Pick<HostContext, 'outDir' | 'manifest' | 'logger'>,
  hosts: readonly HostName[],
): Promise<void> {
  const file = new URL('./_headers', outDir);
  const existing = existsSync(file) ? await readFile(file, 'utf8') : '';
  const own = withoutOurBlock(existing);
  const paths = variantPaths(manifest);
  const patterns = [...(hosts.includes('netlify') ? paths : []), ...(hosts.includes('cloudflare') ? paths.map((path) => path.slice(0, -'.html'.length)) : [])];
  if (hosts.includes('cloudflare') && countRules(own) + patterns.length > MAX_CLOUDFLARE_RULES) {
    logger.warn(
      `_headers holds ${countRules(own) + patterns.length} rules with one per variant file; Cloudflare applies the first ${MAX_CLOUDFLARE_RULES}, so some variant files are served with the default \`Cache-Control: public, max-age=0, must-revalidate\` (correct, but revalidated). ` +
        "Lower `budget.perSite` or the site's own _headers rules to make them all immutable.",
    );
  }
  if (patterns.length === 0) {
    if (own !== existing) await writeFile(file, own);
    return;
  }
  const block = [BEGIN, ...patterns.map((path) => `${path}\n  Cache-Control: ${IMMUTABLE}`), END].join('\n');
  await writeFile(file, `${own}${own === '' || own.endsWith('\n') ? '' : '\n'}${block}\n`);
}

/** The file without a block an earlier build wrote (a rebuild into the same folder). */
function withoutOurBlock(text: string): string {
  const start = text.indexOf(BEGIN);
  if (start === -1) return text;
  const end = text.indexOf(END, start);
  return text.slice(0, start) + (end === -1 ? '' : text.slice(end + END.length).replace(/^\r?\n/, ''));
}

/** A rule starts with a path (or an absolute https URL) at the start of a line. */
function countRules(text: string): number {
  return text.split(/\r?\n/).filter((line) => /^(?:\/|https:\/\/)/.test(line)).length;
}

/** The same for Vercel's Build Output API: header routes naming the variant files. */
export function vercelCacheRoutes(manifest: Manifest): { src: string; headers: Record<string, string>; continue: true }[] {
  const names = variantPaths(manifest).map((path) => path.slice(manifest.prefix.length, -'.html'.length));
  const routes = [];
  for (let i = 0; i < names.length; i += FILES_PER_VERCEL_ROUTE) {
    const group = names.slice(i, i + FILES_PER_VERCEL_ROUTE);
    routes.push({ src: `^${escapeRegExp(manifest.prefix)}(?:${group.join('|')})\\.html$`, headers: { 'Cache-Control': IMMUTABLE }, continue: true as const });
  }
  return routes;
}
