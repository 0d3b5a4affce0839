/**
 * A personalized document's marked HTML, kept as what it adds to its default
 * version: `[at, text, at, text, …]`, each `text` inserted at offset `at` of the
 * default HTML (offsets ascending). Imported by `render-entry.ts`, which runs in
 * the site's own server code: no Node APIs here.
 */
export type Insertions = readonly (number | string)[];

/** `text` with `insertions` made. */
export function withInsertions(text: string, insertions: Insertions): string {
  let output = '';
  let cursor = 0;
  for (let i = 0; i < insertions.length; i += 2) {
    const at = insertions[i] as number;
    output += text.slice(cursor, at) + (insertions[i + 1] as string);
    cursor = at;
  }
  return output + text.slice(cursor);
}
