/**
 * Every way rendering a personalized document can fail, as one error that
 * Astro prints like its own (see `errors.ts`): what is wrong and the fix, the
 * hint, and the location in the file (line and column of the file, whatever
 * the caller cut off), whichever part of the pipeline noticed: remark-segments'
 * checks (a VFileMessage, on unified and Sätteri alike), the page-level checks
 * of the slicer, or the processor itself.
 */
import type { AstroError } from 'astro/errors';
import { ConditionError } from 'remark-segments';
import { BuildProblem } from '../build-problem.ts';
import { problemError } from '../errors.ts';
import { MarkerError } from '../markers.ts';
import { segmentsError } from '../segments-error.ts';
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
  const location = file ? { file } : undefined;
  if (isBlockMessage(error)) {
    const at = file && error.line !== undefined ? { file, line: error.line, column: error.column ?? 1 } : location;
    return segmentsError(error.reason, `${SYNTAX} (remark-segments rule: ${error.ruleId})`, { location: at });
  }
  if (error instanceof BuildProblem) return problemError(error, root);
  if (error instanceof SliceError) return segmentsError(error.message, error.hint, { location });
  if (error instanceof MarkerError || error instanceof ConditionError) {
    return segmentsError(`${error.message}.`, 'Check the :::segment blocks and the segments frontmatter of this file.', { location });
  }
  if ((error as { type?: unknown })?.type === 'AstroUserError') return error as AstroError;
  const message = error instanceof Error ? error.message : String(error);
  const failure = segmentsError(
    `Rendering this personalized Markdown file failed: ${message}`,
    'The Markdown processor or one of its plugins threw; its error is the cause of this one.',
    {
      location: location ?? { file: 'renderMarkdown()' },
    },
  );
  (failure as Error).cause = error;
  return failure;
}

function isBlockMessage(error: unknown): error is BlockMessage {
  return (
    typeof error === 'object' && error !== null && (error as { fatal?: unknown }).fatal === true && (error as { source?: unknown }).source === 'remark-segments'
  );
}
