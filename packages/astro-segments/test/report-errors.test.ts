import { describe, expect, it } from 'vitest';
import type { AstroIntegrationLogger } from 'astro';
import { BuildProblem, reportErrors } from '../src/errors.ts';

/** Stands in for Astro's integration logger (a class with `error` on its prototype), recording what reaches it. */
class Logger {
  readonly lines: string[] = [];
  error(message: string): void {
    this.lines.push(message);
  }
}

/** Run one wrapped hook that throws, then log as Astro's hook runner does right after: its line, then another. */
async function run(thrown: unknown) {
  const logger = new Logger();
  const hooks = reportErrors({
    'astro:build:start': () => {
      throw thrown;
    },
  });
  const start = hooks['astro:build:start'] as unknown as (params: { logger: AstroIntegrationLogger }) => unknown;
  const error = await Promise.resolve(start({ logger: logger as unknown as AstroIntegrationLogger })).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  logger.error('An unhandled error occurred while running the "astro:build:start" hook');
  logger.error('a later line');
  return { error: error as Error & { loc?: unknown; hint?: string }, lines: logger.lines, logger };
}

describe('errors leaving the hooks', () => {
  it('a located problem becomes a located AstroError with its hint, and Astro’s "unhandled" line is dropped once', async () => {
    const { error, lines, logger } = await run(new BuildProblem('/site/src/pages/index.md:4', 'segments.kpi is missing.', 'Add kpi:.'));
    expect(error.name).toBe('SegmentsContentError');
    expect(error.loc).toEqual({ file: '/site/src/pages/index.md', line: 4 });
    expect(error.hint).toBe('Add kpi:.');
    expect(error.stack).toBe('');
    expect(lines).toEqual(['a later line']);
    expect(Object.hasOwn(logger, 'error')).toBe(false);
  });

  it('a bug passes through untouched, stack and Astro’s line included', async () => {
    const bug = new TypeError('x is undefined');
    const { error, lines } = await run(bug);
    expect(error).toBe(bug);
    expect(error.stack).toContain('TypeError');
    expect(lines).toEqual(['An unhandled error occurred while running the "astro:build:start" hook', 'a later line']);
  });
});
