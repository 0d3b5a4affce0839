/**
 * Astro middleware for on-demand (server-rendered) pages, added by the
 * integration when the site has an adapter. See `personalize.ts`.
 */
import type { MiddlewareHandler } from 'astro';
import data from 'virtual:astro-segments/ssr';
import { personalize } from './personalize.ts';

export const onRequest: MiddlewareHandler = (context, next) => personalize(context, next, data);
