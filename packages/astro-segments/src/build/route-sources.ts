import { fileURLToPath } from 'node:url';
import type { AstroConfig, IntegrationResolvedRoute } from 'astro';
import type { OnDemandRoute } from '../hosts/index.ts';

/**
 * The route component that rendered an output file, for messages about `.astro`
 * pages: a static route by its path, a dynamic one by its pattern.
 */
export function routeSources(routes: readonly IntegrationResolvedRoute[], config: AstroConfig): (file: string) => string | undefined {
  const prerendered = routes.filter((route) => route.isPrerendered);
  const staticRoutes = new Map(prerendered.filter((route) => route.params.length === 0).map((route) => [route.pattern.replace(/\/$/, '') || '/', route]));
  const dynamic = prerendered.filter((route) => route.params.length > 0);
  const root = fileURLToPath(config.root);
  return (file) => {
    const path = `/${file}`.replace(/(?:\/index)?\.html$/, '') || '/';
    const route = staticRoutes.get(path) ?? dynamic.find((candidate) => [path, `${path}/`].some((p) => candidate.patternRegex.test(p)));
    return route ? fileURLToPath(new URL(route.entrypoint, config.root)).slice(root.length) : undefined;
  };
}

/** An on-demand route, as the checks of URL caches name it (hosts/url-caches.ts). */
export function onDemandRoute(route: IntegrationResolvedRoute): OnDemandRoute {
  let samplePath: string | undefined;
  try {
    samplePath = route.generate(Object.fromEntries(route.params.map((name) => [name, 'x'])));
  } catch {
    samplePath = undefined;
  }
  return { pattern: route.pattern, entrypoint: route.entrypoint, samplePath };
}
