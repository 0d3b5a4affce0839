/**
 * `render()` of `astro:content`, for personalized entries: the page gets the
 * marked HTML (every version, which the slicer turns into the public page and
 * the variant files) and the headings of every version; everyone else reading
 * the entry (`entry.rendered.html`, feeds, search services) gets its default
 * version. Imported by the `astro:content` module (see `vite-plugin.ts`), so it
 * runs in the site's own server code: keep it small and free of Node APIs
 * beyond what `documents.ts` needs.
 */
import { AstroError } from 'astro/errors';
import { documents } from './documents.ts';
import { withInsertions } from './insertions.ts';
import type { StoredMarkedDocument } from './personalized-document.ts';

interface Entry {
  readonly filePath?: string;
  readonly deferredRender?: boolean;
  readonly rendered?: {
    readonly html: string;
    // A type import only: nothing of personalized-document.ts reaches the site's server code.
    readonly metadata?: Record<string, unknown> & { readonly astroSegments?: StoredMarkedDocument };
  };
}

export function personalizedRender<E extends Entry, R>(render: (entry: E) => Promise<R>): (entry: E) => Promise<R> {
  return (entry) => {
    const marked = entry?.rendered?.metadata?.astroSegments;
    if (marked) {
      const metadata = { ...entry.rendered!.metadata, headings: marked.headings };
      return render({ ...entry, rendered: { html: markedHtml(entry, marked), metadata } });
    }
    // Astro's glob loader only logs a render error and stores the entry empty: in `astro dev`
    // the page would answer 200 with nothing in it. Show the error instead (a build has
    // already failed on it in astro:build:start).
    const failure = entry && !entry.rendered && !entry.deferredRender && entry.filePath ? failureOf(entry.filePath) : undefined;
    if (failure) return Promise.reject(failure);
    return render(entry);
  };
}

/** The entry's marked HTML: its default HTML with the stored insertions made. */
function markedHtml(entry: Entry, marked: StoredMarkedDocument): string {
  if ('html' in marked) return marked.html;
  const html = entry.rendered!.html;
  // The insertions fit only the HTML they were made for: a page built on anything else would be broken.
  if (html.length !== marked.base) {
    throw new AstroError(
      `astro-segments cannot build the versions of ${entry.filePath ?? 'a personalized entry'}: its rendered HTML was changed after it was rendered (${html.length} characters instead of ${marked.base}).`,
      'A loader that calls renderMarkdown() must store what it returns as it is: change the Markdown before rendering it instead.',
    );
  }
  return withInsertions(html, marked.insert);
}

/** The recorded failure of an entry, by its path (Astro keeps it relative to the project). */
function failureOf(filePath: string): Error | undefined {
  for (const [file, error] of documents.failures) {
    if (file === filePath || file.endsWith(`/${filePath}`)) return error;
  }
  return undefined;
}
