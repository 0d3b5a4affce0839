/**
 * Astro's content layer stores an entry whose render failed (with no HTML) and
 * does not render it again until the file changes: the next `astro build` or
 * `astro dev` would not see the error at all. So failures are kept in a file
 * (in Astro's cache folder) and restored while the file is unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AstroError } from 'astro/errors';
import { segmentsError, type SourceLocation } from '../segments-error.ts';
import { documents } from './documents.ts';

let store: string | undefined;
/** Pages and MDX are rendered again by Vite on every run: only content-layer entries are kept. */
let cached: (file: string) => boolean = () => false;

/** A failure as kept on disk: enough to throw it again, and the file's hash when it failed. */
interface KeptFailure {
  readonly file: string;
  readonly hash: string;
  readonly message: string;
  readonly hint: string | undefined;
  readonly loc: unknown;
}

/** Restore the failures kept for files under `root` that have not changed since. */
export function keepFailures(file: string, root: string, pagesDir: string): void {
  store = file;
  cached = (path) => !path.startsWith(pagesDir) && !path.endsWith('.mdx');
  if (!existsSync(file)) return;
  let kept: KeptFailure[];
  try {
    kept = JSON.parse(readFileSync(file, 'utf8')) as KeptFailure[];
  } catch {
    return;
  }
  for (const failure of kept) {
    if (!failure.file.startsWith(root) || !cached(failure.file) || hashOf(failure.file) !== failure.hash) continue;
    documents.failures.set(failure.file, segmentsError(failure.message, failure.hint ?? '', { location: failure.loc as SourceLocation | undefined }));
  }
}

/** Record (or, with `undefined`, clear) the failure of a document, in memory and in the kept file. */
export function setFailure(file: string, error: AstroError | undefined): void {
  if (error) documents.failures.set(file, error);
  else if (!documents.failures.delete(file)) return;
  if (!store) return;
  const kept: KeptFailure[] = [...documents.failures].flatMap(([path, failure]) => {
    const hash = cached(path) ? hashOf(path) : undefined;
    return hash ? [{ file: path, hash, message: failure.message, hint: failure.hint, loc: (failure as { loc?: unknown }).loc }] : [];
  });
  try {
    mkdirSync(dirname(store), { recursive: true });
    writeFileSync(store, JSON.stringify(kept));
  } catch {
    // A cache folder we cannot write: the failure still stops this run.
  }
}

function hashOf(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}
