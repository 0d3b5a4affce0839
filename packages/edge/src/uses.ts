/**
 * Which optional parts of the router a site uses. Here, in the package, every
 * part is on. A host bundle replaces this module with the site's own answers
 * (`usedFeatures` in features.ts, wired by the integration's bundler), and the
 * minifier drops the code behind each `false`: a site without date windows
 * ships no date test, one without debug no explanation header. A whole module
 * is left out by its flag too (the Accept-Language and Referer parsers become
 * `unused.ts`), since code a folded-away branch calls would still be bundled.
 *
 * Each flag only ever guards code that reads or writes what its feature needs,
 * so a flag that were wrongly off could only make a rule miss (the default
 * page) or drop the explanation header, never make the router serve something
 * else.
 */

/** `X-Segments` explanations (`manifest.debug`). */
export const DEBUG = true;
/** Rules on `utm_*` query parameters. */
export const UTM = true;
/** Rules on the Referer's host. */
export const REFERRER = true;
/** Rules on the Accept-Language header. */
export const LANGUAGE = true;
/** Rules on the presence of a named first-party cookie. */
export const COOKIE = true;
/** Date windows (`from`, `until`). */
export const DATES = true;
/** `is` matchers (one of a list). */
export const IS = true;
/** `prefix` matchers. */
export const PREFIX = true;
/** `suffix` matchers. */
export const SUFFIX = true;
/** `domain` matchers. */
export const DOMAIN = true;
