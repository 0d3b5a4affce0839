/**
 * Which optional parts of the router a manifest's rules use. A host bundle
 * carries only those (the host bundler swaps the others for `unused.ts`): a
 * site without a language rule ships no Accept-Language parser, one without a
 * referrer rule no Referer parsing. Used at build time only.
 */
import type { Manifest } from './manifest.ts';

/** The optional modules of the router, by file name, and the rule field that needs each. */
export const OPTIONAL = { 'language.ts': 'language', 'referrer.ts': 'referrer' } as const;

export type OptionalModule = keyof typeof OPTIONAL;

/**
 * The optional modules `manifest` does not need. A manifest this cannot read needs them
 * all: leaving code out is only ever an optimization.
 */
export function unusedModules(manifest: Manifest): OptionalModule[] {
  const fields = new Set<string>();
  try {
    for (const dimension of manifest.dimensions) for (const value of dimension.values) for (const rule of value.rules) for (const field in rule) fields.add(field);
  } catch {
    return [];
  }
  return (Object.keys(OPTIONAL) as OptionalModule[]).filter((file) => !fields.has(OPTIONAL[file]));
}
