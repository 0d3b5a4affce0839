/**
 * How astro-segments reports a mistake: one located message with its hint, the
 * way Astro prints its own errors.
 *
 * Why this needs care. Astro's CLI prints an error as `[name] message`, then
 * `Hint:`, `Location:` (from `err.loc`) and `Stack trace:` (from `err.stack`)
 * (`formatErrorMessage` in astro/dist/core/messages/runtime.js). An error
 * without `loc` gets one guessed from its stack (`collectErrorMetadata` in
 * astro/dist/core/errors/dev/utils.js): for an error thrown here that is a line
 * of this package, never the author's file. And every error a hook throws is
 * first announced as "An unhandled error occurred while running the … hook"
 * (`withTakingALongTimeMsg` in astro/dist/integrations/hooks.js), which reads as
 * a crash of the integration. So an error of ours carries its location as
 * `loc`, no stack (the author's mistake is not in our call stack), a name that
 * says what kind of mistake it is, and leaves a hook without that line.
 */
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import type { AstroError } from 'astro/errors';
import { BuildProblem } from './build-problem.ts';
import type { Lint } from './lints/index.ts';
import { findConfigCall } from './locate-option.ts';
import { segmentsError, type SourceLocation } from './segments-error.ts';

export { BuildProblem } from './build-problem.ts';
export { segmentsError, type SegmentsErrorName, type SourceLocation } from './segments-error.ts';

/**
 * A located content problem (`where` is `file`, `file:line` or `file:line:column`,
 * relative to `root` or absolute; `astro.config` for the options) as an AstroError.
 * `configCall` is where `segments()` is called, for problems with the options
 * found during the build (budgets, the variant folder).
 */
export function problemError(problem: BuildProblem, root: string, configCall?: SourceLocation): AstroError {
  const [, file = problem.where, line, column] = /^(.*?)(?::(\d+))?(?::(\d+))?$/.exec(problem.where) ?? [];
  if (file === 'astro.config') {
    return segmentsError(problem.message, problem.hint, { name: 'SegmentsConfigError', location: configCall });
  }
  const location = { file: isAbsolute(file) ? file : join(root, file), ...(line && { line: Number(line) }), ...(column && { column: Number(column) }) };
  return segmentsError(problem.message, problem.hint, { location });
}

/**
 * Wrap the integration's hooks so that what they throw is reported as above:
 * a BuildProblem becomes a located AstroError, an AstroError without a
 * location loses the stack Astro would take one from, and neither is announced
 * as "unhandled". Anything else (a bug) passes through untouched, with Astro's
 * line and its stack. Call it inside `segments()`: it reads the config's call
 * site from the stack then.
 */
export function reportErrors<Hooks extends AstroIntegration['hooks']>(hooks: Hooks): Hooks {
  const configCall = findConfigCall();
  let root = process.cwd();
  const wrapped: Record<string, (params: HookParams) => Promise<unknown>> = {};
  for (const [name, hook] of Object.entries(hooks) as [string, (params: HookParams) => unknown][]) {
    wrapped[name] = async (params) => {
      if (params.config?.root) root = fileURLToPath(params.config.root);
      try {
        return await hook(params);
      } catch (error) {
        const reported = error instanceof BuildProblem ? problemError(error, root, configCall) : error;
        if (!isUserError(reported)) throw reported;
        if (!(reported as { loc?: unknown }).loc) reported.stack = '';
        dropUnhandledLine(params.logger);
        throw reported;
      }
    };
  }
  return wrapped as Hooks;
}

interface HookParams {
  readonly config?: { readonly root?: URL };
  readonly logger: AstroIntegrationLogger;
}

/** Run `work`; if it fails, run `cleanup` first (leave nothing half-written that could be deployed). */
export async function guard<T>(work: () => Promise<T>, cleanup?: () => Promise<void>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await cleanup?.();
    throw error;
  }
}

/** One lint as a log line: where, what, and the fix. */
export function lintLine(lint: Lint, root: string): string {
  return `${lint.file.replace(`${root}/`, '')}: ${lint.message} Fix: ${lint.fix}`;
}

/** An AstroError made on purpose (by this integration or `new AstroError` anywhere): it explains itself. */
function isUserError(error: unknown): error is AstroError {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'AstroUserError';
}

/**
 * Astro announces every error a hook throws with "An unhandled error occurred
 * while running the … hook", logged through the very logger object the hook
 * received, right after the hook rejects. For an explained mistake the line is
 * wrong (it is handled: the message says what to do), so shadow that logger's
 * `error` for one call: it drops exactly that line, passes anything else
 * through, and removes itself at its first use.
 */
function dropUnhandledLine(logger: AstroIntegrationLogger): void {
  const own = Object.getOwnPropertyDescriptor(logger, 'error');
  Object.defineProperty(logger, 'error', {
    configurable: true,
    writable: true,
    value(message: string) {
      if (own) Object.defineProperty(logger, 'error', own);
      else delete (logger as Partial<AstroIntegrationLogger>).error;
      if (!message.startsWith('An unhandled error occurred while running the ')) logger.error(message);
    },
  });
}
