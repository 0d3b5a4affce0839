/**
 * Stop the build on personalized documents that failed to render, with their
 * own located errors. Called where the build can still stop cleanly: in
 * `astro:build:start` (documents rendered while content collections synced),
 * once Vite has built the site and before any page is prerendered (`.md`
 * pages, MDX), and again after prerendering as a last net.
 */
import { AstroError } from 'astro/errors';
import { failuresUnder } from './documents.ts';

export function throwIfFailed(root: string): void {
  const errors = failuresUnder(root).map(([, error]) => error);
  if (errors.length === 0) return;
  if (errors.length === 1) throw errors[0]!;
  throw new AstroError(
    `${errors.length} personalized documents failed to render:\n${errors.map((error) => `- ${error.message}`).join('\n')}`,
    errors[0]!.hint ?? 'Fix each one as it says.',
  );
}
