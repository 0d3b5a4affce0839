/**
 * The manifest compiled for the router: everything that can be worked out once
 * per manifest, worked out. The words a choice may use, looked up directly; each
 * rule as a list of conditions that say which signal they read and how they test
 * it; each page with its dimensions as positions and its variant files as content
 * hashes (checked) by the number of their combination. What stays for each request is reading the signals a
 * page's rules need and walking its dimensions.
 *
 * A host bundle receives this form, compiled at build time from the manifest the
 * build validated (`@astro-segments/edge/validate`); it is never written on its
 * own or read back. Every other caller hands the router a manifest, compiled on
 * first use (`compiled.ts`). The form has its own version, `compiled`: a change
 * to it that an older router could misread is a new version.
 *
 * Compiling never throws. A manifest of another version, or whose shared parts
 * are malformed, compiles to no pages (every request passes through). A page
 * whose own entry is malformed compiles to `null`: the router passes it through
 * (the page as it is, what any failure of the router serves), and the other
 * pages keep working.
 */
import { MANIFEST_VERSION, type Manifest, type ManifestDimension, type ManifestRoute, type Rule } from './manifest.ts';
import type { RouteTable } from './packed.ts';

export { packable, packRoutes } from './packed.ts';

export const COMPILED_VERSION = 3 as const;

/** How a condition tests: a matcher on a signal, the presence of a cookie, or one end of a date window. */
export type Test = 'is' | 'prefix' | 'suffix' | 'domain' | 'cookie' | 'from' | 'until';

/**
 * One condition of a rule: the signal it reads (`utm_source`, `referrer`, `country`,
 * `language`; empty for a cookie or a date), how it tests it, and what against. A
 * `domain` is compiled to `.` + the name (the host with a leading dot must end with it).
 * The signal and the test always agree: a matcher test has a signal, the others none.
 */
// biome-ignore lint/suspicious/noExplicitAny: the third slot is a list, a string or a time, by the test beside it; meets() reads it per test.
export type Condition = readonly [signal: string, test: Test, against: any];

export interface CompiledDimension {
  readonly name: string;
  readonly default: string;
  /** Values in declared order, each with its rules; a rule holds when all its conditions do. */
  readonly values: readonly (readonly [value: string, rules: readonly (readonly Condition[])[]])[];
  /** Each value's position in `values`: its digit in a combination's number (see `CompiledRoute`). */
  readonly at: Readonly<Record<string, number>>;
}

export interface CompiledRoute {
  /** The page's dimensions, as positions in `dimensions`, in the route's order. */
  readonly dims: readonly number[];
  /**
   * The content hash of each combination's variant file (served as `prefix + hash + '.html'`),
   * by the combination's number: its values' positions in their dimensions read as the digits
   * of a number, the route's first dimension the most significant (`customer/eu`, with
   * customer the 2nd of 4 audiences and eu the 1st of 3 regions: 1 × 3 + 0 = 3). A
   * combination missing here gets the page's own file. Numbers and bare hashes rather than
   * `customer/eu` → `/_segments/<hash>.html`: a Worker parses every route at each cold start,
   * and this form is half the bytes.
   */
  readonly files: Readonly<Record<number, string>>;
}

export interface CompiledManifest<Route = CompiledRoute | RouteTable>
  extends Pick<Manifest, 'prefix' | 'param' | 'previewParam' | 'cookie' | 'debug' | 'holdout'> {
  readonly compiled: typeof COMPILED_VERSION;
  /**
   * The dimension each word of a choice names a value of: `dim:value` always, a bare `value`
   * when only one dimension declares it (the value is the word after its `:`). Names are
   * identifiers (checked at build), so a pair is safe in a header or cookie.
   */
  readonly pairs: Readonly<Record<string, string>>;
  /** The choice cookie's name over HTTPS, `__Host-` + its name: built here once, not per request. */
  readonly secureCookie: string;
  /** Every dimension, in the manifest's order (the order of the choice cookie's entries). */
  readonly dimensions: readonly CompiledDimension[];
  /**
   * Personalized pages by route key; none under the variant files' prefix. A large site's
   * host bundle holds them packed in one string under the key `''` (packed.ts), each
   * unpacked on its first request and kept under its key: read them with `findRoute`.
   */
  readonly routes: Readonly<Record<string, Route | null>>;
}

/** The signals a matcher may read; any other field reads as empty. */
const SIGNALS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'country', 'language'];
const MATCHERS = ['is', 'prefix', 'suffix', 'domain'] as const;
const HASH = /^[a-z0-9]{6,64}$/;
/** A condition that never holds: a date window that closed before any request. */
const NEVER: Condition = ['', 'until', 0];

export function compileManifest(manifest: Manifest): CompiledManifest<CompiledRoute> {
  const { prefix, param, previewParam, cookie, debug, holdout } = Object(manifest) as Manifest;
  const compiled: CompiledManifest<CompiledRoute> = {
    compiled: COMPILED_VERSION,
    prefix,
    param,
    previewParam,
    cookie,
    debug,
    ...(holdout && { holdout }),
    pairs: {},
    secureCookie: '',
    dimensions: [],
    routes: {},
  };
  try {
    if (manifest.version !== MANIFEST_VERSION) return compiled;
    // No prototype: a choice of `constructor` or `__proto__` finds nothing.
    const pairs: Record<string, string> = Object.create(null);
    const ambiguous = new Set<string>();
    for (const { name, values } of manifest.dimensions)
      for (const { name: value } of values) {
        pairs[name + ':' + value] = name;
        // A bare value names a pair only when exactly one dimension declares it.
        if (ambiguous.has(value) || Object.hasOwn(pairs, value)) ambiguous.add(value), delete pairs[value];
        else pairs[value] = name;
      }
    const dimensions = manifest.dimensions.map(compileDimension);
    const routes: Record<string, CompiledRoute | null> = {};
    for (const [key, route] of Object.entries(manifest.routes)) if (!key.startsWith(manifest.prefix)) routes[key] = compileRoute(route, dimensions);
    return { ...compiled, pairs, secureCookie: '__Host-' + cookie.name, dimensions, routes };
  } catch {
    return compiled;
  }
}

function compileDimension({ name, default: fallback, values }: ManifestDimension): CompiledDimension {
  return {
    name,
    default: fallback,
    values: values.map(({ name: value, rules }) => [value, rules.map(compileRule)] as const),
    at: Object.fromEntries(values.map(({ name: value }, position) => [value, position])),
  };
}

function compileRule(rule: Rule): Condition[] {
  return Object.entries(rule).map(([field, expected]): Condition => {
    if (field == 'cookie' || field == 'from' || field == 'until') return ['', field, expected];
    const test = MATCHERS.find((kind) => kind in expected);
    // `is` must be an array: a string would turn `includes` into a substring test. A field this
    // router does not know (say `continent`, which the integration compiles to `country`), or a
    // matcher it cannot use, reads an empty signal: the condition never holds.
    if (!SIGNALS.includes(field) || !test || (test == 'is' && !Array.isArray(expected.is))) return NEVER;
    return [field, test, test == 'domain' ? '.' + expected.domain : expected[test]];
  });
}

/** A page's entry, or null when the router cannot use it (an undeclared dimension, a default that is not one of its values). */
function compileRoute({ dims, variants }: ManifestRoute, dimensions: readonly CompiledDimension[]): CompiledRoute | null {
  try {
    const positions = dims.map((name) => {
      const position = dimensions.findIndex((dimension) => dimension.name === name);
      const dimension = dimensions[position];
      if (!dimension || !Object.hasOwn(dimension.at, dimension.default)) throw new TypeError(`${name} is not usable`);
      return position;
    });
    const files: Record<number, string> = {};
    for (const [combination, hash] of Object.entries(variants)) {
      const names = combination.split('/');
      let number = names.length == positions.length ? 0 : NaN;
      positions.forEach((position, index) => {
        const { at, values } = dimensions[position]!;
        number = number * values.length + (Object.hasOwn(at, names[index]!) ? at[names[index]!]! : NaN);
      });
      // An entry that is not a content hash, or not a combination of the page's values, is
      // never served: its combination gets the public file.
      if (HASH.test(hash) && Number.isSafeInteger(number)) files[number] = hash;
    }
    return { dims: positions, files };
  } catch {
    return null;
  }
}
