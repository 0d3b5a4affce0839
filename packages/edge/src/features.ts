/**
 * Which optional parts of the router a manifest uses: the answers a host bundle
 * puts in place of `uses.ts` (see there), and the modules it leaves out. Used
 * at build time only.
 */
import type { Manifest } from './manifest.ts';
import type * as Uses from './uses.ts';

/** One answer per flag of `uses.ts`. */
export type Features = { -readonly [Flag in keyof typeof Uses]: boolean };

/** The optional modules of the router, by file name, and the flag that needs each. */
export const OPTIONAL_MODULES = { 'language.ts': 'LANGUAGE', 'referrer.ts': 'REFERRER' } as const satisfies Record<string, keyof Features>;

/** Every part on: what a manifest this cannot read gets, since leaving code out is only ever an optimization. */
const EVERYTHING: Features = {
  DEBUG: true,
  UTM: true,
  REFERRER: true,
  LANGUAGE: true,
  COOKIE: true,
  DATES: true,
  IS: true,
  PREFIX: true,
  SUFFIX: true,
  DOMAIN: true,
};

/** The parts `manifest` uses: its debug flag, the fields of its rules and the kinds of their matchers (as compile.ts reads them). */
export function usedFeatures(manifest: Manifest): Features {
  const used = new Set<string>();
  try {
    for (const dimension of manifest.dimensions)
      for (const value of dimension.values)
        for (const rule of value.rules)
          for (const [field, matcher] of Object.entries(rule)) {
            used.add(field.startsWith('utm_') ? 'utm' : field);
            if (typeof matcher == 'object' && matcher !== null) for (const kind in matcher) used.add(kind);
          }
  } catch {
    return { ...EVERYTHING };
  }
  return {
    DEBUG: manifest.debug === true,
    UTM: used.has('utm'),
    REFERRER: used.has('referrer'),
    LANGUAGE: used.has('language'),
    COOKIE: used.has('cookie'),
    DATES: used.has('from') || used.has('until'),
    IS: used.has('is'),
    PREFIX: used.has('prefix'),
    SUFFIX: used.has('suffix'),
    DOMAIN: used.has('domain'),
  };
}

/** The optional modules `manifest` does not need (a host bundle gets `unused.ts` in their place). */
export function unusedModules(manifest: Manifest): (keyof typeof OPTIONAL_MODULES)[] {
  const features = usedFeatures(manifest);
  return (Object.keys(OPTIONAL_MODULES) as (keyof typeof OPTIONAL_MODULES)[]).filter((file) => !features[OPTIONAL_MODULES[file]]);
}
