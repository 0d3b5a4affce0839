/**
 * A large site's routes packed for its host bundle: each compiled route written as
 * one short string, unpacked the first time a request asks for that page.
 *
 * A Worker parses its whole manifest at every cold start, and V8 parses a route
 * written as objects (its dimensions, its numbered files) about twenty times slower
 * than the same route written as a string: 2,000 routes took 11–12 ms of
 * `JSON.parse` as objects and 0.6 ms as strings, on a form half the bytes. A
 * request needs one route, so only that one is ever unpacked.
 *
 * The form: the route's dimension positions joined by `.`, a `;`, then each variant
 * file as the numbers of the combinations it serves joined by `.`, `=`, its hash,
 * joined by `,`. `{ dims: [0, 1], files: { 0: 'a1', 3: 'b2', 6: 'b2' } }` is
 * `0.1;0=a1,3.6=b2`. Every part is digits or a checked hash (compile.ts), so no
 * separator can occur inside one.
 */
import type { CompiledManifest, CompiledRoute } from './compile.ts';

/** A route in the packed form above. */
export type PackedRoute = string;

type Routes = CompiledManifest['routes'];

/** `compiled` with every route packed (a route that did not compile stays null). */
export function packRoutes(compiled: CompiledManifest): CompiledManifest<PackedRoute> {
  const routes: Record<string, PackedRoute | null> = {};
  for (const [key, route] of Object.entries(compiled.routes)) routes[key] = route === null || typeof route == 'string' ? route : packRoute(route);
  return { ...compiled, routes };
}

function packRoute({ dims, files }: CompiledRoute): PackedRoute {
  // A file several combinations share (a variant that looks the same for two audiences) is written once.
  const numbers = new Map<string, string[]>();
  for (const [number, hash] of Object.entries(files)) numbers.set(hash, [...(numbers.get(hash) ?? []), number]);
  return `${dims.join('.')};${[...numbers].map(([hash, list]) => `${list.join('.')}=${hash}`).join(',')}`;
}

/**
 * The route at `key` as the router uses it: a packed one is unpacked and kept in its
 * place, so each page is unpacked once per Worker, on its first request.
 */
export function unpackedRoute(routes: Routes, key: string): CompiledRoute {
  const route = routes[key]!;
  if (typeof route != 'string') return route;
  const [dims, variants] = route.split(';');
  const files: Record<number, string> = {};
  if (variants)
    for (const variant of variants.split(',')) {
      const [numbers, hash] = variant.split('=');
      for (const number of numbers!.split('.')) files[+number] = hash!;
    }
  const unpacked = { dims: dims!.split('.').map(Number), files };
  // The bundle's own parsed manifest, never a caller's object: only a host bundle holds packed routes.
  (routes as Record<string, CompiledRoute>)[key] = unpacked;
  return unpacked;
}
