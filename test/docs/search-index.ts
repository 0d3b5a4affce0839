/**
 * What Pagefind published: every page fragment of a built site's search index
 * (`pagefind/fragment/*.pf_fragment`: gzip, then `pagefind_dcd`, then JSON),
 * which is exactly what a search can return.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface IndexedPage {
  /** The URL a search result links to. */
  readonly url: string;
  /** The indexed text: what a search matches and its excerpts come from. */
  readonly content: string;
  readonly title: string;
}

const SIGNATURE = 'pagefind_dcd';

export async function readSearchIndex(outDir: string): Promise<IndexedPage[]> {
  const folder = join(outDir, 'pagefind', 'fragment');
  const pages: IndexedPage[] = [];
  for (const name of await readdir(folder)) {
    const text = gunzipSync(await readFile(join(folder, name))).toString('utf8');
    if (!text.startsWith(SIGNATURE)) throw new Error(`${name} is not a Pagefind fragment (no ${SIGNATURE} signature)`);
    const fragment = JSON.parse(text.slice(SIGNATURE.length)) as { url: string; content: string; meta?: { title?: string } };
    pages.push({ url: fragment.url, content: fragment.content, title: fragment.meta?.title ?? '' });
  }
  return pages;
}
