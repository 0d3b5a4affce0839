/**
 * Links into the documentation site (the Starlight site in this repository's
 * `docs/`), built from package.json `homepage` so one field moves every link
 * when the site moves. Paths follow the docs site's pages.
 */
import { readFileSync } from 'node:fs';

/** `src/` and `dist/` both sit one level below the package root. */
const PACKAGE_JSON = new URL('../package.json', import.meta.url);

/** The docs site's root URL, ending in `/`. */
export function docsHome(): string {
  const { homepage } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { homepage?: string };
  if (!homepage) throw new Error('astro-segments: package.json has no homepage, which the links to the docs are built from.');
  return homepage.endsWith('/') ? homepage : `${homepage}/`;
}

/** A page of the docs, e.g. `docsUrl('reference/options/#dimensions')`. */
export function docsUrl(path: string): string {
  return new URL(path, docsHome()).href;
}
