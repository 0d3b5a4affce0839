/**
 * The route order the Vercel writer used before issue 15: the middleware route
 * first (with `override`), then a header route marking every `[a-z0-9]+.html`
 * under the prefix immutable. Routed as Vercel routes (later routes see the
 * middleware's rewritten path), it marks a personalized response at the public
 * URL immutable for a year. Tests use it to show that the harness and
 * `astro-segments check` catch it.
 */
import type { VercelConfig } from './vercel-routing.ts';

export function formerOrder(config: VercelConfig): VercelConfig {
  const routes = config.routes ?? [];
  const middleware = routes.find((route) => route.middlewarePath === '_astro-segments')!;
  const rest = routes.filter((route) => route !== middleware && !String(route.src ?? '').startsWith('^/_segments/'));
  const cache = { src: '^\\/_segments\\/[a-z0-9]+\\.html$', headers: { 'Cache-Control': 'public, max-age=31536000, immutable' }, continue: true };
  return { ...config, routes: [{ ...middleware, override: true }, cache, ...rest] };
}
