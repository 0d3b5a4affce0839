/**
 * The site's own dimensions, for types and for `segmentsSchema()`:
 *
 * - Types: the integration writes `AstroSegments.Dimensions` for the site with
 *   Astro's `injectTypes` (`dimensionTypes()`), as it types
 *   `Astro.locals.segments`. `<Segment>`, `<SegmentPage>` and
 *   `segmentsSchema()` read it, so an editor completes `audience="customer"`
 *   and `astro check` rejects `audience="cutsomer"`. Before the types are
 *   generated (or outside a site) the interface is empty and every name is
 *   accepted, as before.
 * - Values: content collections are validated by `astro sync` (and so `astro
 *   check`) before any build, in the process that ran `segments()`; the
 *   integration records the declared dimensions here for the schema to check
 *   `dimensions: [audeince]` against.
 */
import type { ResolvedDimension } from './validate-options.ts';

declare global {
  namespace AstroSegments {
    /**
     * Dimension name → the union of its values, generated per site into
     * `.astro/integrations/astro-segments/dimensions.d.ts`. Empty until then.
     */
    interface Dimensions {}
  }
}

type Declared = AstroSegments.Dimensions;
/** True once the site's generated types declare at least one dimension. */
type IsTyped = keyof Declared extends never ? false : true;

/** A dimension's name: one of the site's, or any string before types are generated. */
export type DimensionName = IsTyped extends true ? keyof Declared & string : string;

/** One dimension's values, as a `<Segment>` prop or an override's `when` entry takes them. */
export type DimensionCondition<Value extends string> =
  | Value
  | `!${Value}`
  // "a, b" lists: the first item is checked, the rest at build time.
  | `${Value}, ${string}`
  | `!${Value}, ${string}`
  | readonly Value[]
  | readonly [`!${Value}`, ...Value[]];

/** Dimension → condition, for the site's dimensions; any name and value before types are generated. */
export type Conditions = IsTyped extends true
  ? { readonly [Name in keyof Declared & string]?: DimensionCondition<Declared[Name] & string> }
  : Readonly<Record<string, string | readonly string[]>>;

export const DIMENSION_TYPES_FILE = 'dimensions.d.ts';

/** The declaration `injectTypes` writes: each dimension with the union of its values. */
export function dimensionTypes(dimensions: readonly ResolvedDimension[]): string {
  // Names are identifiers ([a-z][a-z0-9_]*), checked by the options schema: safe to print as is.
  const fields = dimensions.map((d) => `    readonly ${d.name}: ${d.values.map((v) => `'${v.name}'`).join(' | ')};`);
  return `declare namespace AstroSegments {
  /** astro-segments: the dimensions declared in segments({ dimensions }), with their values. */
  interface Dimensions {
${fields.join('\n')}
  }
}
`;
}

const REGISTRY = Symbol.for('astro-segments.declared-dimensions');
type Registry = { [REGISTRY]?: ReadonlyMap<string, readonly string[]> };

/** Record the declared dimensions for `segmentsSchema()` (in `astro:config:setup` of every command). */
export function declareDimensions(dimensions: readonly ResolvedDimension[]): void {
  // A global, not a module variable: Vite may load this module again for the content config.
  (globalThis as Registry)[REGISTRY] = new Map(dimensions.map((d) => [d.name, d.values.map((v) => v.name)]));
}

/** The declared dimensions and their values, or undefined outside an Astro command (no check then). */
export function declaredDimensions(): ReadonlyMap<string, readonly string[]> | undefined {
  return (globalThis as Registry)[REGISTRY];
}
