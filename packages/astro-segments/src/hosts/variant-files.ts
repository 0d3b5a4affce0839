/**
 * The build's promise to the routers: every variant file the manifest names is
 * in the output. Checked again here, where the host files are written, because
 * a Vercel rewrite to a missing file cannot fall back to the default page.
 */
import { existsSync } from 'node:fs';
import type { Manifest } from '@astro-segments/edge';

export interface MissingVariant {
  readonly route: string;
  readonly key: string;
  readonly file: URL;
}

/**
 * Folder of the variant files in `outDir`. The manifest's prefix carries the
 * site's `base`, the folder does not: use the longest tail of the prefix that
 * holds the manifest.
 */
export function variantFolder(outDir: URL, manifest: Manifest): URL {
  const segments = String(manifest.prefix).split('/').filter(Boolean);
  for (let i = 0; i < segments.length; i++) {
    const folder = new URL(`./${segments.slice(i).join('/')}/`, outDir);
    if (existsSync(new URL('./manifest.json', folder))) return folder;
  }
  return new URL(`./${segments.at(-1) ?? '_segments'}/`, outDir);
}

export function missingVariants(outDir: URL, manifest: Manifest): MissingVariant[] {
  const folder = variantFolder(outDir, manifest);
  const missing: MissingVariant[] = [];
  // Tolerant of any shape: a manifest this cannot read is the router's to reject.
  for (const [route, entry] of Object.entries(Object(manifest.routes) as Manifest['routes'])) {
    for (const [key, hash] of Object.entries(Object(entry?.variants) as Record<string, unknown>)) {
      const file = new URL(`./${hash}.html`, folder);
      if (!existsSync(file)) missing.push({ route, key, file });
    }
  }
  return missing;
}

/** The manifest without the variants whose file is missing: those combinations get the default page. */
export function withoutMissing(manifest: Manifest, missing: readonly MissingVariant[]): Manifest {
  if (missing.length === 0) return manifest;
  const routes = Object.fromEntries(
    Object.entries(manifest.routes).map(([route, entry]) => [
      route,
      { ...entry, variants: Object.fromEntries(Object.entries(entry.variants).filter(([key]) => !missing.some((m) => m.route === route && m.key === key))) },
    ]),
  );
  return { ...manifest, routes };
}
