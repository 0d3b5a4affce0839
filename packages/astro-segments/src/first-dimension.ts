/**
 * What `segments()` says while no dimension is declared, as `astro add
 * astro-segments` leaves it: the site builds as it is, and the build log and the
 * Dev Toolbar app say in one line how to declare the first dimension.
 */
import { docsUrl } from './docs-links.ts';

export interface FirstDimensionHint {
  /** What to do, in one sentence with an example. */
  readonly message: string;
  /** The docs page that explains dimensions. */
  readonly docs: string;
}

export function firstDimensionHint(): FirstDimensionHint {
  return {
    message:
      "No dimension is declared yet, so no page is personalized. Declare the first one in your Astro config, e.g. segments({ dimensions: { audience: { default: 'prospect', values: { prospect: {}, customer: {} } } } }).",
    docs: docsUrl('reference/options/#dimensions'),
  };
}

/** The hint as one log line. */
export function hintLine(hint: FirstDimensionHint): string {
  return `${hint.message} See ${hint.docs}`;
}
