/** The reference pages generated from the code, and where each is committed (relative to docs/). */
import { renderErrorsPage } from './errors-page.ts';
import { renderOptionsPage } from './options-page.ts';

export interface GeneratedPage {
  readonly file: string;
  render(): string;
}

export const GENERATED_PAGES: readonly GeneratedPage[] = [
  { file: 'src/content/docs/reference/options.md', render: renderOptionsPage },
  { file: 'src/content/docs/reference/errors.md', render: renderErrorsPage },
];
