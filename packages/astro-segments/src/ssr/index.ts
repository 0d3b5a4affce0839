import { fileURLToPath } from 'node:url';
import type { AstroIntegrationMiddleware } from 'astro';

export { ssrData, type SsrData } from './data.ts';
export { localsTypes, LOCALS_TYPES_FILE } from './locals-types.ts';

/**
 * Outermost (`pre`): it sees the final HTML, after the site's own middleware,
 * so its `Cache-Control: private` cannot be overridden into a shared cache,
 * and `locals.segments` exists before the site's middleware runs.
 */
export const onDemandMiddleware: AstroIntegrationMiddleware = {
  order: 'pre',
  entrypoint: fileURLToPath(new URL('./middleware.ts', import.meta.url)),
};
