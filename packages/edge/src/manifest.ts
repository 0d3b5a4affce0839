/**
 * The manifest: the only data the router reads. Written (and validated) by the
 * `astro-segments` integration at build time, embedded in or next to each host
 * output. Keep this file the single source of truth for its shape; bump
 * `MANIFEST_VERSION` on any incompatible change.
 *
 * All strings a rule compares are lowercase; the router lowercases request
 * values before comparing, so matching is case-insensitive.
 */
export const MANIFEST_VERSION = 1;

/**
 * A compiled matcher. Exactly one key:
 * - `is`: the value equals one of the listed strings (exact / one-of);
 * - `prefix`: the value starts with the string;
 * - `suffix`: the value ends with the string (a plain string suffix);
 * - `domain`: the value is the name or ends with `.` + name (a host and its subdomains).
 * No regular expressions, ever: rules must stay cheap and analyzable.
 */
export type Matcher = { readonly is: readonly string[] } | { readonly prefix: string } | { readonly suffix: string } | { readonly domain: string };

/**
 * One rule. Every field present must match (AND); a value matches when any of
 * its rules matches (OR). An empty rule list never matches (the value can still
 * be chosen explicitly or be the default).
 */
export interface Rule {
  readonly utm_source?: Matcher;
  readonly utm_medium?: Matcher;
  readonly utm_campaign?: Matcher;
  readonly utm_term?: Matcher;
  readonly utm_content?: Matcher;
  /** Host name of the `Referer` header, lowercased, without port. */
  readonly referrer?: Matcher;
  /**
   * ISO 3166-1 alpha-2 country code from the platform's own geo context
   * (lowercased). A `continent` in the options is compiled into its countries.
   */
  readonly country?: Matcher;
  /** Primary subtag of the visitor's most preferred Accept-Language entry (lowercased). */
  readonly language?: Matcher;
  /** Name of a first-party cookie; the rule matches when it is present (its value is never read). */
  readonly cookie?: string;
  /** Start of a date window, epoch milliseconds, inclusive. */
  readonly from?: number;
  /** End of a date window, epoch milliseconds, exclusive. */
  readonly until?: number;
}

export interface ManifestValue {
  readonly name: string;
  readonly rules: readonly Rule[];
}

export interface ManifestDimension {
  readonly name: string;
  /** Name of the value served when nothing else decides. One of `values`. */
  readonly default: string;
  /** In declared order: the first value whose rules match wins. */
  readonly values: readonly ManifestValue[];
}

export interface ManifestRoute {
  /** Dimensions this page varies on, a subset of the manifest's, in manifest order. */
  readonly dims: readonly string[];
  /**
   * Variant files by combination. The key is the chosen value of each of `dims`,
   * joined by `/` in `dims` order (`"customer/eu"`); the value is the file's
   * content hash, served from `${prefix}${hash}.html`. A combination that is not
   * listed renders exactly like the default and is served the public URL's own file.
   */
  readonly variants: Readonly<Record<string, string>>;
}

/**
 * A holdout, for measuring lift without identifiers: a share of eligible visitors
 * (consent cookie present, no GPC or DNT, not a crawler) is kept in a control group
 * that gets nothing inferred, only explicit choices and defaults. Read only by
 * `holdout()`; a router without it ignores the field.
 */
export interface ManifestHoldout {
  /** Share of eligible visitors drawn into the control group, 0 < share < 1. */
  readonly share: number;
  /** Name of the site's consent cookie. Only its presence is read; without it there is no group and no group cookie. */
  readonly consent: string;
  /** Name of the group cookie. Its value is only ever `control` or `treatment`; it is readable by page scripts (not HttpOnly). */
  readonly cookie: string;
  /** Group cookie lifetime in seconds. Set once, never renewed. */
  readonly maxAge: number;
}

export interface Manifest {
  readonly version: typeof MANIFEST_VERSION;
  /** Reserved URL path prefix of the variant files, with the site's `base`, e.g. `/_segments/`. */
  readonly prefix: string;
  /** Query parameter for an explicit, remembered choice: `?segment=customer`. */
  readonly param: string;
  /** Query parameter for a one-off preview that is not remembered: `?segment-preview=customer`. */
  readonly previewParam: string;
  readonly cookie: {
    /** Cookie name; the router adds the `__Host-` prefix when the request is HTTPS. */
    readonly name: string;
    /** Lifetime in seconds. Set once on an explicit choice, never renewed. */
    readonly maxAge: number;
  };
  /** When true, responses carry an `X-Segments` header naming the values and the rule that won. */
  readonly debug: boolean;
  readonly dimensions: readonly ManifestDimension[];
  /**
   * Optional and additive (version 1 still): only sites that configure a holdout have
   * it, and only their host entries include the code that reads it.
   */
  readonly holdout?: ManifestHoldout;
  /**
   * Personalized pages by normalized public pathname: with the site's `base`, no
   * trailing slash (except `/`), no `index.html` / `.html` suffix, percent-decoded.
   */
  readonly routes: Readonly<Record<string, ManifestRoute>>;
}
