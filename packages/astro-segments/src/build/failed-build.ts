/**
 * A failed build never leaves a deployable output. Pages are sliced only once
 * every page is written, so until then the output folder holds pages with
 * every version in them (and the page's purpose and KPI). Whatever fails after
 * Astro started writing — a page that throws while it is prerendered, a check
 * of this integration, a host output — removes the output folder before the
 * error goes on.
 *
 * Prerendering runs in the code Vite builds for the site, in this process: the
 * integration registers the cleanup on `globalThis` for the guard middleware.
 */
import { rm } from 'node:fs/promises';

type Cleanup = () => Promise<void>;
const KEY = Symbol.for('astro-segments.failed-build');
const slot = globalThis as Record<symbol, Cleanup | undefined>;

/** While a build runs, what to remove if it fails. */
export function guardBuild(paths: readonly string[]): void {
  slot[KEY] = async () => {
    await Promise.all(paths.map((path) => rm(path, { recursive: true, force: true })));
  };
}

/** The build is over: nothing to clean any more. */
export function releaseBuild(): void {
  slot[KEY] = undefined;
}

/** Remove what the failed build wrote (once), then let the error go on. */
export async function buildFailed(): Promise<void> {
  const cleanup = slot[KEY];
  slot[KEY] = undefined;
  await cleanup?.();
}

/** Run `work`; if it throws, clean up first. */
export async function orClean<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await buildFailed();
    throw error;
  }
}
