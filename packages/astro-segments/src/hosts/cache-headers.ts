/**
 * Variant files are content-addressed (`<prefix><hash>.html`), so they may be
 * cached forever; the router's own response at the public URL says `private`.
 * Netlify and Cloudflare read a `_headers` file in the published folder.
 */
import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import type { Manifest } from '@astro-segments/edge';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function writeCacheHeaders(outDir: URL, manifest: Manifest): Promise<void> {
  const file = new URL('./_headers', outDir);
  const rule = `${manifest.prefix}*\n  Cache-Control: ${IMMUTABLE}\n`;
  const existing = existsSync(file) ? await readFile(file, 'utf8') : '';
  if (existing.includes(rule)) return;
  await appendFile(file, `${existing === '' || existing.endsWith('\n') ? '' : '\n'}${rule}`);
}

/** The same for Vercel's Build Output API: a header route for the variant files. */
export function vercelCacheRoute(manifest: Manifest): { src: string; headers: Record<string, string>; continue: true } {
  const prefix = manifest.prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return { src: `^${prefix}[a-z0-9]+\\.html$`, headers: { 'Cache-Control': IMMUTABLE }, continue: true };
}
