/**
 * Stop the build on personalized documents that failed to render, with their
 * own located errors. Called where the build can still stop cleanly: in
 * `astro:build:start` (documents rendered while content collections synced),
 * once Vite has built the site and before any page is prerendered (`.md`
 * pages, MDX), and again after prerendering as a last net.
 */
import { relative } from 'node:path';
import { segmentsError } from '../segments-error.ts';
import { failuresUnder } from './documents.ts';

export function throwIfFailed(root: string): void {
  const errors = failuresUnder(root).map(([, error]) => error);
  if (errors.length === 0) return;
  if (errors.length === 1) throw errors[0]!;
  const where = (error: (typeof errors)[number]) => {
    const loc = (error as { loc?: { file?: string; line?: number; column?: number } }).loc;
    return loc?.file ? `${relative(root, loc.file)}${loc.line ? `:${loc.line}:${loc.column ?? 1}` : ''} ` : '';
  };
  throw segmentsError(
    `${errors.length} personalized Markdown files failed to render:\n${errors.map((error) => `- ${where(error)}${error.message}`).join('\n')}`,
    errors[0]!.hint ?? 'Fix each one as it says.',
    { location: (errors[0] as { loc?: { file: string; line?: number; column?: number } }).loc },
  );
}
