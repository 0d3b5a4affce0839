import { docsUrl } from './docs-links.ts';
import { basename } from 'node:path';
import type { ManifestHoldout, Matcher, Rule } from '@astro-segments/edge';
import { checkName } from 'remark-segments/condition';
import { continents } from './continents.ts';
import type { CountryGroups } from './country-groups.ts';
import { countrySets } from './country-sets.ts';
import { segmentsError } from './errors.ts';
import { explainIssues } from './explain-option-issues.ts';
import { findConfigCall, locateOption } from './locate-option.ts';
import { closest, didYouMean, notOneOf } from './suggest.ts';
import { OPTION_DEFAULTS, OptionsSchema, type MatcherOptions, type RuleOptions, type SegmentsOptions } from './schema.ts';

export interface ResolvedValue {
  readonly name: string;
  readonly label: string;
  readonly relationship: boolean;
  readonly rules: readonly Rule[];
}

export interface ResolvedDimension {
  readonly name: string;
  readonly default: string;
  readonly values: readonly ResolvedValue[];
}

export interface ResolvedOptions {
  readonly dimensions: readonly ResolvedDimension[];
  readonly budget: { readonly perPage: number; readonly perSite: number };
  readonly param: string;
  readonly previewParam: string;
  readonly cookie: { readonly name: string; readonly maxAge: number };
  /** Present only when the options configure a holdout; in the manifest's form (seconds). */
  readonly holdout?: ManifestHoldout;
  readonly prefix: string;
  readonly debug: boolean;
  readonly hosts: 'auto' | readonly ('netlify' | 'vercel' | 'cloudflare')[];
  readonly report: { readonly publish: boolean };
  readonly lints: { readonly strict: boolean; readonly maxBlocksPerPage: number };
  readonly gpc: boolean;
}

/** Every field, its default and an example: the options reference of the docs. */
const docsHint = () => `Every option, its default and an example: ${docsUrl('reference/options/')}`;

/** A problem found in the options: where, what, and how to fix it. */
interface Problem {
  readonly path: string;
  readonly message: string;
}

/**
 * Validate the options passed to `segments()` and compile rules into the
 * manifest's form. Throws one AstroError listing every problem, each with its
 * key path and the fix. Options without `dimensions` resolve to none.
 */
export function validateOptions(input: SegmentsOptions | undefined): ResolvedOptions {
  const shadowing = findReservedKeys(input);
  if (shadowing.length > 0) {
    fail(shadowing.map((path) => ({ path, message: '"__proto__" is a reserved word and cannot name a dimension or value. Rename it' })));
  }
  // No dimensions at all is what `astro add astro-segments` leaves (`segments()`): a valid
  // start that personalizes nothing yet; the integration says how to declare the first one.
  const declared = (input as { dimensions?: unknown } | null | undefined)?.dimensions !== undefined;
  const parsed = OptionsSchema.safeParse(declared ? input : { ...input, dimensions: {} });
  if (!parsed.success) {
    fail(explainIssues(OptionsSchema, input, parsed.error.issues));
  }
  const options = parsed.data;
  const problems: Problem[] = [];
  const dimensions: ResolvedDimension[] = [];

  const entries = Object.entries(options.dimensions);
  if (entries.length === 0 && declared) {
    problems.push({
      path: 'dimensions',
      message: 'declare at least one dimension, e.g. { audience: { default: "prospect", values: { customer: {}, prospect: {} } } }',
    });
  }
  for (const [name, dimension] of entries) {
    const at = `dimensions.${name}`;
    const nameProblem = checkName(name);
    if (nameProblem) problems.push({ path: at, message: `dimension name ${nameProblem}. Rename it` });
    const values: ResolvedValue[] = [];
    for (const [valueName, value] of Object.entries(dimension.values)) {
      const valueAt = `${at}.values.${valueName}`;
      const valueProblem = checkName(valueName);
      if (valueProblem) problems.push({ path: valueAt, message: `value name ${valueProblem}. Rename it` });
      const rules = value.when === undefined ? [] : Array.isArray(value.when) ? value.when : [value.when];
      values.push({
        name: valueName,
        label: value.label ?? valueName,
        relationship: value.relationship ?? false,
        rules: rules.map((rule, index) => compileRule(rule, `${valueAt}.when${Array.isArray(value.when) ? `[${index}]` : ''}`, problems)),
      });
    }
    if (values.length < 2) {
      problems.push({ path: `${at}.values`, message: 'a dimension needs at least two values (one of them the default) to vary anything' });
    }
    if (!values.some((value) => value.name === dimension.default)) {
      problems.push({
        path: `${at}.default`,
        message: `"${dimension.default}" is not one of the values (${values.map((v) => v.name).join(', ')}).${didYouMean(
          dimension.default,
          values.map((v) => v.name),
        )} Set it to one of them, or add it to ${at}.values`,
      });
    }
    dimensions.push({ name, default: dimension.default, values });
  }
  if (problems.length > 0) fail(problems);

  const param = options.param ?? OPTION_DEFAULTS.param;
  const previewParam = options.previewParam ?? OPTION_DEFAULTS.previewParam;
  if (param === previewParam) {
    fail([{ path: 'previewParam', message: `must differ from param ("${param}")` }]);
  }
  const cookieName = options.cookie?.name ?? OPTION_DEFAULTS.cookie.name;
  const holdout = options.holdout && {
    share: options.holdout.share,
    consent: options.holdout.consentCookie,
    cookie: options.holdout.cookie ?? OPTION_DEFAULTS.holdout.cookie,
    maxAge: (options.holdout.maxAgeDays ?? OPTION_DEFAULTS.holdout.maxAgeDays) * 86_400,
  };
  if (holdout && (holdout.cookie === holdout.consent || holdout.cookie === cookieName || holdout.cookie === `__Host-${cookieName}`)) {
    fail([
      {
        path: 'holdout.cookie',
        message: `"${holdout.cookie}" is already the ${holdout.cookie === holdout.consent ? 'consent cookie' : "choice cookie's name"}; the group cookie needs a name of its own, e.g. "segment_group"`,
      },
    ]);
  }
  return {
    dimensions,
    budget: { ...OPTION_DEFAULTS.budget, ...options.budget },
    param,
    previewParam,
    cookie: {
      name: cookieName,
      maxAge: (options.cookie?.maxAgeDays ?? OPTION_DEFAULTS.cookie.maxAgeDays) * 86_400,
    },
    ...(holdout && { holdout }),
    prefix: options.prefix ?? OPTION_DEFAULTS.prefix,
    debug: options.debug ?? OPTION_DEFAULTS.debug,
    hosts: options.hosts ?? OPTION_DEFAULTS.hosts,
    report: { publish: options.report?.publish ?? OPTION_DEFAULTS.report.publish },
    lints: {
      strict: options.lints?.strict ?? OPTION_DEFAULTS.lints.strict,
      maxBlocksPerPage: options.lints?.maxBlocksPerPage ?? OPTION_DEFAULTS.lints.maxBlocksPerPage,
    },
    gpc: options.gpc ?? OPTION_DEFAULTS.gpc,
  };
}

/**
 * zod drops own `__proto__` keys (as JSON.parse or YAML can produce) without a
 * word; find them first so they fail loudly instead of vanishing.
 */
function findReservedKeys(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const at = path ? `${path}.${key}` : key;
    return key === '__proto__' ? [at] : findReservedKeys((value as Record<string, unknown>)[key], at);
  });
}

/**
 * Throw one error listing every problem, located in the Astro config: the
 * first problem's key is the error's location, and each line names its own.
 */
function fail(problems: readonly Problem[]): never {
  const call = findConfigCall();
  const located = problems
    .map((problem) => ({ ...problem, location: call && locateOption(call, problem.path) }))
    .sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0));
  const lines = located.map(({ path, message, location }) => {
    const line = location?.line !== undefined && location.line !== call?.line ? ` (line ${location.line})` : '';
    return `- ${path}${line}: ${message}${/[.?!]$/.test(message) ? '' : '.'}`;
  });
  const where = call ? basename(call.file) : 'your Astro config';
  throw segmentsError(`Invalid options passed to segments() in ${where}:\n${lines.join('\n')}`, docsHint(), {
    name: 'SegmentsConfigError',
    location: located[0]?.location,
  });
}

function compileMatcher(matcher: MatcherOptions): Matcher {
  if (typeof matcher === 'string') return { is: [matcher.toLowerCase()] };
  if (Array.isArray(matcher)) return { is: matcher.map((item) => item.toLowerCase()) };
  if ('equals' in matcher) return { is: [matcher.equals.toLowerCase()] };
  if ('oneOf' in matcher) return { is: matcher.oneOf.map((item) => item.toLowerCase()) };
  if ('prefix' in matcher) return { prefix: matcher.prefix.toLowerCase() };
  if ('domain' in matcher) return { domain: matcher.domain.toLowerCase() };
  return { suffix: matcher.suffix.toLowerCase() };
}

/**
 * A referrer rule compares the referring page's host name only (the router never reads its
 * scheme, port, path or query), so a value written as a URL or with a path could never match.
 */
function checkHostNames(matcher: Matcher, at: string, problems: Problem[]): void {
  for (const value of 'is' in matcher ? matcher.is : Object.values(matcher)) {
    if (!/[/:?#@\s]/.test(value)) continue;
    const host = hostOf(value);
    problems.push({
      path: at,
      message: `"${value}" is not a host name, and a referrer rule compares only the referring page's host (never its scheme, port, path or query), so it could never match${host ? `; write "${host}"` : ''}`,
    });
  }
}

/** The host name in a URL or a host with a path, if there is one. */
function hostOf(value: string): string | undefined {
  try {
    return new URL(value.includes('://') ? value : `https://${value}`).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** Exact values a matcher lists, or undefined for prefix/suffix matchers. */
function listed(matcher: Matcher): readonly string[] | undefined {
  return 'is' in matcher ? matcher.is : undefined;
}

const PLAIN_SIGNALS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'language'] as const;

/** Signals that each compile to the router's `country` list. */
const PLACE_SIGNALS = ['country', 'continent', 'countrySet'] as const;

/** Two-letter codes people write for places that are not ISO 3166-1 countries: what they mean instead. */
const NOT_COUNTRIES: Readonly<Record<string, string>> = {
  uk: '"UK" is not an ISO 3166-1 country code: the United Kingdom is "GB" (or countrySet: "uk")',
  eu: '"EU" is not a country: for the European Union use countrySet: "eu" (continent: "EU" is Europe)',
};

/**
 * A continent or country-set matcher: exact names only, each expanded to its
 * countries (lowercased, as the router compares them), or undefined after
 * recording why not.
 */
function expandNames(
  matcher: MatcherOptions,
  at: string,
  problems: Problem[],
  groups: CountryGroups<string>,
  /** The name as the table spells it (`eu` → `EU` for continents). */
  spelling: (name: string) => string,
): string[] | undefined {
  const allowed = groups.names;
  // As written (not lowercased), so the message quotes the author.
  const names =
    typeof matcher === 'string'
      ? [matcher]
      : Array.isArray(matcher)
        ? matcher
        : 'equals' in matcher
          ? [matcher.equals]
          : 'oneOf' in matcher
            ? matcher.oneOf
            : undefined;
  if (names === undefined) {
    problems.push({ path: at, message: `list names exactly (prefix and suffix make no sense here); use ${allowed.join(', ')}` });
    return undefined;
  }
  const countries: string[] = [];
  for (const name of names) {
    const key = spelling(name);
    // A group written by its label (`Europe` for `EU`) is the likeliest intention.
    const labelled = allowed.find((candidate) => groups.labels[candidate]!.replace(/^the /, '').toLowerCase() === name.toLowerCase());
    if (groups.has(key)) countries.push(...groups.countries(key).map((country) => country.toLowerCase()));
    else problems.push({ path: at, message: notOneOf(name, allowed, labelled ?? closest(name, allowed)) });
  }
  return countries;
}

function compileRule(rule: RuleOptions, at: string, problems: Problem[]): Rule {
  const compiled: Record<string, unknown> = {};
  if (Object.keys(rule).length === 0) {
    problems.push({ path: at, message: 'an empty rule would match every request; give it a signal, e.g. { utm_campaign: "spring" }, or leave out when' });
  }
  for (const signal of PLAIN_SIGNALS) {
    const matcher = rule[signal];
    if (matcher !== undefined) compiled[signal] = compileMatcher(matcher);
  }
  if (compiled.referrer) checkHostNames(compiled.referrer as Matcher, `${at}.referrer`, problems);
  const places = PLACE_SIGNALS.filter((signal) => rule[signal] !== undefined);
  if (places.length > 1) {
    problems.push({
      path: at,
      message: `use ${places.join(' or ')} in one rule, not ${places.length === 2 ? 'both' : 'several'} (each stands for a list of countries)`,
    });
  }
  if (rule.country !== undefined) {
    const matcher = compileMatcher(rule.country);
    for (const code of listed(matcher) ?? []) {
      if (!/^[a-z]{2}$/.test(code))
        problems.push({ path: `${at}.country`, message: `"${code.toUpperCase()}" is not a two-letter ISO 3166-1 country code, e.g. "DE"` });
      else if (Object.hasOwn(NOT_COUNTRIES, code)) problems.push({ path: `${at}.country`, message: NOT_COUNTRIES[code]! });
    }
    compiled.country = matcher;
  }
  if (rule.continent !== undefined) {
    const countries = expandNames(rule.continent, `${at}.continent`, problems, continents, (name) => name.toUpperCase());
    if (countries) compiled.country = { is: countries };
  }
  if (rule.countrySet !== undefined) {
    const countries = expandNames(rule.countrySet, `${at}.countrySet`, problems, countrySets, (name) => name.toLowerCase());
    if (countries) compiled.country = { is: countries };
  }
  if (rule.cookie !== undefined) compiled.cookie = rule.cookie;
  if (rule.from !== undefined) compiled.from = Date.parse(rule.from);
  if (rule.until !== undefined) compiled.until = Date.parse(rule.until);
  if (typeof compiled.from === 'number' && typeof compiled.until === 'number' && compiled.from >= compiled.until) {
    problems.push({ path: `${at}.until`, message: `must be after from (${rule.from}); the date range is empty` });
  }
  return compiled as Rule;
}
