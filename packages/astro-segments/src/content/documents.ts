/**
 * What the Markdown renderer learned about personalized documents, for the
 * code that needs it later in the same process: the `.md` page transform (the
 * marked version of a page), `render()` of content entries (a failed entry),
 * and the build (which entries failed, which declared segments).
 *
 * It lives on `globalThis` because the renderer runs in the integration's own
 * module graph while `render()` runs in the one Vite builds for the site (the
 * prerenderer in `astro build`, the module runner in `astro dev`): two copies of
 * this module, one process.
 */
import type { MarkdownHeading } from 'astro';
import type { AstroError } from 'astro/errors';

/** A personalized document rendered with every version in it, as pages need it. */
export interface MarkedDocument {
  /** HTML with the segment markers (every version). */
  readonly html: string;
  /** Headings of every version, in document order; the slicer prunes each version's table of contents. */
  readonly headings: readonly MarkdownHeading[];
}

interface Registry {
  /** By absolute file path: the last successful render of a personalized document. */
  readonly marked: Map<string, MarkedDocument>;
  /** By absolute file path: the error of the last render, while it is not fixed. */
  readonly failures: Map<string, AstroError>;
}

const KEY = Symbol.for('astro-segments.documents');

export const documents: Registry = ((globalThis as Record<symbol, Registry | undefined>)[KEY] ??= {
  marked: new Map(),
  failures: new Map(),
});

/** Forget what earlier builds in this process learned about the project under `root`. */
export function forgetProject(root: string): void {
  for (const map of [documents.marked, documents.failures]) {
    for (const file of map.keys()) if (file.startsWith(root)) map.delete(file);
  }
}

/** Failures of documents under `root`, sorted by file. */
export function failuresUnder(root: string): [string, AstroError][] {
  return [...documents.failures].filter(([file]) => file.startsWith(root)).sort(([a], [b]) => a.localeCompare(b));
}
