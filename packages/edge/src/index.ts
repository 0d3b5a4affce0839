/**
 * @astro-segments/edge: the router core. Web-standard and host-agnostic; each
 * host file (netlify, vercel, cloudflare) only extracts the platform's geo and
 * wraps `serve`. `holdout()` is imported only by sites that configure one.
 */
export type * from './manifest.ts';
export type * from './types.ts';
export type { CompiledManifest, CompiledDimension, CompiledRoute, Condition, Test } from './compile.ts';
export { MANIFEST_VERSION } from './manifest.ts';
export { readSignals, RequestSignals } from './signals.ts';
export { decide, routeKey } from './decide.ts';
export { holdout, type HoldoutGroup } from './holdout.ts';
export { serve, type Host } from './serve.ts';
export { isBot } from './bots.ts';
