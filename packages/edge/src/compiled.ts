/**
 * The compiled form of whatever the router was handed: a host bundle's manifest
 * is compiled at build time and used as it is; any other manifest is compiled
 * the first time it is used and kept beside its object, so a server, a test or
 * `astro dev` pays for it once per manifest, not per request.
 *
 * Host bundles replace this module with `precompiled.ts`, which carries no
 * compiler.
 */
import { COMPILED_VERSION, compileManifest, type CompiledManifest } from './compile.ts';
import type { Manifest } from './manifest.ts';

const compiledManifests = new WeakMap<Manifest, CompiledManifest>();

export function compiled(source: Manifest | CompiledManifest): CompiledManifest {
  if ((source as CompiledManifest).compiled === COMPILED_VERSION) return source as CompiledManifest;
  let result = compiledManifests.get(source as Manifest);
  if (!result) compiledManifests.set(source as Manifest, (result = compileManifest(source as Manifest)));
  return result;
}
