/**
 * Astro middleware for `astro build` (see `failed-build.ts`): a page or
 * endpoint that throws while it is prerendered removes the output before the
 * build stops. Astro renders prerendered pages to a string, not a stream
 * (`BuildApp` turns streaming off), so a failure surfaces here, from `next()`.
 */
import type { MiddlewareHandler } from 'astro';
import { buildFailed } from './failed-build.ts';

export const onRequest: MiddlewareHandler = async (context, next) => {
  if (!context.isPrerendered) return next();
  try {
    return await next();
  } catch (error) {
    await buildFailed();
    throw error;
  }
};
