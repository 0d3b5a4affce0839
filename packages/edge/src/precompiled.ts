/**
 * What a host bundle gets instead of `compiled.ts`: its manifest was compiled
 * when the bundle was built, so the router uses it as it is and the bundle
 * carries no compiler.
 */
import type { CompiledManifest } from './compile.ts';
import type { compiled as Compiled } from './compiled.ts';

export const compiled: typeof Compiled = (source) => source as CompiledManifest;
