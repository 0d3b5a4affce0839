/**
 * The last line of defence: after slicing, no file of the output may still
 * hold a segment marker, in whatever form the file type would carry one. A
 * marker there means a page or endpoint published a personalized document's
 * every version (a feed built from an MDX entry's rendered component, a JSON
 * dump of a page): the build fails and names the file.
 *
 * Every file is read but those of a binary type (images, fonts, media,
 * archives): an endpoint can publish under any name (`dump.ndjson`,
 * `data.jsonld`, an `llms-full` with no extension). Per type, only what is a
 * real marker there: in HTML, Markdown and plain text the element itself (an
 * escaped `&lt;astro-segment` is text, such as documentation about markers);
 * in XML feeds also the escaped element (RSS carries HTML escaped once); in
 * JSON also the `\u003c` escape; in a file of any other type, every form.
 */
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

const ELEMENT = String.raw`astro-segments?(?:-page)?(?=[\s>/&\\])`;
const RAW = new RegExp(`<${ELEMENT}`);
const ESCAPED = new RegExp(`<${ELEMENT}|&lt;${ELEMENT}`);
const ANY_FORM = new RegExp(String.raw`<${ELEMENT}|&lt;${ELEMENT}|\\u003c${ELEMENT}`, 'i');
const BY_TYPE: Readonly<Record<string, RegExp>> = {
  '.html': RAW,
  '.htm': RAW,
  '.txt': RAW,
  '.md': RAW,
  '.csv': RAW,
  '.xml': ESCAPED,
  '.rss': ESCAPED,
  '.atom': ESCAPED,
};

/** Types that hold no text: never read. */
const BINARY = new Set(
  'png jpg jpeg gif webp avif ico bmp tif tiff heic woff woff2 ttf otf eot mp3 mp4 m4a webm ogg oga ogv wav flac mov pdf zip gz br zst wasm bin'
    .split(' ')
    .map((extension) => `.${extension}`),
);

/** Could a file of this name carry a marker (anything but a binary type)? */
export const mayHoldMarker = (name: string): boolean => !BINARY.has(extname(name).toLowerCase());

/**
 * A file the build keeps to itself: under a dot-folder such as Astro's `.prerender/` (the server
 * code that rendered the pages, removed before the build ends), but not `.well-known/`.
 */
const internal = (file: string): boolean => /(?:^|\/)\.(?!well-known\/)[^/]*\//.test(file);

/** Which of `files` (relative to `dir`, `/`-separated, from the output's listing) still hold a marker. */
export function filesWithMarkers(dir: string, files: readonly string[]): string[] {
  // One after the other, synchronously: see `markedPages` in compile-site.ts.
  return files.filter(
    (file) => mayHoldMarker(file) && !internal(file) && (BY_TYPE[extname(file).toLowerCase()] ?? ANY_FORM).test(readFileSync(join(dir, file), 'utf8')),
  );
}

/** Does this HTML (a page or variant file the build is about to write) hold a marker? */
export function holdsMarker(html: string): boolean {
  return RAW.test(html);
}
