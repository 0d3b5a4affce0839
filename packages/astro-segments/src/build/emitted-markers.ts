/**
 * The last line of defence: after slicing, no file of the output may still
 * hold a segment marker, in whatever form the file type would carry one. A
 * marker there means a page or endpoint published a personalized document's
 * every version (a feed built from an MDX entry's rendered component, a JSON
 * dump of a page): the build fails and names the file.
 *
 * Per type, only what is a real marker there: in HTML the element itself (an
 * escaped `&lt;astro-segment` is text, such as documentation about markers);
 * in XML also the escaped element (RSS carries HTML escaped once); in JSON
 * also the `\u003c` escape.
 */
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

const ELEMENT = String.raw`astro-segments?(?:-page)?(?=[\s>/&\\])`;
const RAW = new RegExp(`<${ELEMENT}`);
const BY_TYPE: Readonly<Record<string, RegExp>> = {
  '.html': RAW,
  '.htm': RAW,
  '.xml': new RegExp(`<${ELEMENT}|&lt;${ELEMENT}`),
  '.rss': new RegExp(`<${ELEMENT}|&lt;${ELEMENT}`),
  '.atom': new RegExp(`<${ELEMENT}|&lt;${ELEMENT}`),
  '.json': new RegExp(String.raw`<${ELEMENT}|\\u003c${ELEMENT}`, 'i'),
  '.txt': RAW,
  '.md': RAW,
  '.csv': RAW,
  '.webmanifest': RAW,
};

/** Could a file of this name carry a marker (a type that holds text: HTML, XML, JSON, …)? */
export const mayHoldMarker = (name: string): boolean => BY_TYPE[extname(name).toLowerCase()] !== undefined;

/** Which of `files` (relative to `dir`, `/`-separated, from the output's listing) still hold a marker. */
export function filesWithMarkers(dir: string, files: readonly string[]): string[] {
  // One after the other, synchronously: see `markedPages` in compile-site.ts.
  return files.filter((file) => BY_TYPE[extname(file).toLowerCase()]?.test(readFileSync(join(dir, file), 'utf8')) === true);
}

/** Does this HTML (a page or variant file the build is about to write) hold a marker? */
export function holdsMarker(html: string): boolean {
  return RAW.test(html);
}
