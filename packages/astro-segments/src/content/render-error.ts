/**
 * Every way rendering a personalized document can fail, as one AstroError
 * that names the file, the line and column in the file, what is wrong and the
 * fix, whichever part of the pipeline noticed: remark-segments' checks
 * (a VFileMessage, on unified and Sätteri alike), the page-level checks of the
 * slicer, or the processor itself.
 */
import { AstroError } from 'astro/errors';
import { ConditionError, sourcePath } from 'remark-segments';
import { BuildProblem } from '../build-problem.ts';
import { MarkerError } from '../markers.ts';
import { SliceError } from '../slice.ts';
import type { ContentSettings } from './markdown-processor.ts';

/** A fatal message of remark-segments (a VFileMessage). */
interface BlockMessage {
  readonly fatal: true;
  readonly source: 'remark-segments';
  readonly reason: string;
  readonly ruleId: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
}

const SYNTAX = 'A block is written :::segment{dimension="value"} on a line of its own, then its content, then a line holding only :::.';

export function renderError(error: unknown, file: string | undefined, { root }: Pick<ContentSettings, 'root'>): AstroError {
  const where = file ? sourcePath(file, root) : 'Markdown passed to renderMarkdown()';
  if (isBlockMessage(error)) {
    const at = error.line === undefined ? where : `${where}:${error.line}:${error.column ?? 1}`;
    return located(`${at} ${error.reason}`, `${SYNTAX} (remark-segments rule: ${error.ruleId})`, file, error.line, error.column);
  }
  if (error instanceof BuildProblem) return located(`${error.where}: ${error.message}`, error.hint, file);
  if (error instanceof SliceError) return located(`${where}: ${error.message}`, error.hint, file);
  if (error instanceof MarkerError || error instanceof ConditionError) {
    return located(`${where}: ${error.message}.`, 'Check the :::segment blocks and the segments frontmatter of this document.', file);
  }
  if (error instanceof AstroError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const failure = located(
    `${where}: rendering this personalized document failed: ${message}`,
    'The Markdown processor or one of its plugins threw; the cause is printed below.',
    file,
  );
  (failure as Error).cause = error;
  return failure;
}

/** An AstroError with Astro's `loc`, which its error overlay and terminal output show with a code frame. */
function located(message: string, hint: string, file: string | undefined, line?: number, column?: number): AstroError {
  const error = new AstroError(message, hint);
  if (file) Object.assign(error, { loc: { file, line, column } });
  return error;
}

function isBlockMessage(error: unknown): error is BlockMessage {
  return typeof error === 'object' && error !== null && (error as { fatal?: unknown }).fatal === true && (error as { source?: unknown }).source === 'remark-segments';
}
