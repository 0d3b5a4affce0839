import { AstroError } from 'astro/errors';

/** A place in a source file, as Astro prints it under "Location:". */
export interface SourceLocation {
  /** Absolute, or relative to the project root. */
  readonly file: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
}

/** The kinds of mistakes, shown in brackets before the message. */
export type SegmentsErrorName = 'SegmentsConfigError' | 'SegmentsContentError' | 'SegmentsLintError';

/**
 * An AstroError that Astro prints as one of its own (see errors.ts for why):
 *
 *   [SegmentsContentError] message
 *     Hint:
 *       hint
 *     Location:
 *       /site/src/pages/index.md:2:0
 *
 * The message says what happened and why, the hint what to do; neither repeats
 * the location. It has no stack: the author's mistake is not in our call stack,
 * and Astro would take the location from it. Without a `location`, an error
 * thrown while a page renders (a component's props) is located at the page:
 * Astro's build names the failing route's component in the error's `id`
 * (`generatePath` in astro/dist/core/build/generate.js) but prints only `loc`.
 * Free of Node built-ins: components use it in every runtime.
 */
export function segmentsError(message: string, hint: string, options: { name?: SegmentsErrorName; location?: SourceLocation | undefined } = {}): AstroError {
  const error = new AstroError(message, hint);
  error.name = options.name ?? 'SegmentsContentError';
  error.stack = '';
  const { location } = options;
  Object.defineProperty(error, 'loc', {
    configurable: true,
    enumerable: true,
    get(this: { id?: unknown }) {
      return location ?? (typeof this.id === 'string' ? { file: this.id } : undefined);
    },
    // Astro may set a location of its own: it replaces ours.
    set(value: unknown) {
      Object.defineProperty(this, 'loc', { configurable: true, enumerable: true, writable: true, value });
    },
  });
  return error;
}
