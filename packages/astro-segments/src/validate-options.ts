import { AstroError } from 'astro/errors';
import type { ManifestHoldout, Matcher, Rule } from '@astro-segments/edge';
import { checkName } from 'remark-segments/condition';
import { countriesOf, CONTINENTS, isContinent } from './continents.ts';
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

const RULE_SIGNALS = 'utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer, country, continent, language, cookie, from, until';
const DOCS_HINT = 'See the Options section of the astro-segments README for every field and an example.';

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
    fail(
      parsed.error.issues.map((issue) => {
        const path = issue.path.join('.') || '(options)';
        const isRule = issue.code === 'unrecognized_keys' && /\.when(\.\d+)?$/.test(path);
        return { path, message: isRule ? `${issue.message}. A rule may use ${RULE_SIGNALS}` : issue.message };
      }),
    );
  }
  const options = parsed.data;
  const problems: Problem[] = [];
  const dimensions: ResolvedDimension[] = [];

  const entries = Object.entries(options.dimensions);
  if (entries.length === 0 && declared) {
    problems.push({ path: 'dimensions', message: 'declare at least one dimension, e.g. { audience: { default: "prospect", values: { customer: {}, prospect: {} } } }' });
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
        message: `"${dimension.default}" is not one of the values (${values.map((v) => v.name).join(', ')}). Set it to one of them, or add it to ${at}.values`,
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

function fail(problems: readonly Problem[]): never {
  const lines = problems.map((problem) => `- ${problem.path}: ${problem.message}.`);
  throw new AstroError(`Invalid options passed to segments() in your Astro config:\n${lines.join('\n')}`, DOCS_HINT);
}

function compileMatcher(matcher: MatcherOptions): Matcher {
  if (typeof matcher === 'string') return { is: [matcher.toLowerCase()] };
  if (Array.isArray(matcher)) return { is: matcher.map((item) => item.toLowerCase()) };
  if ('equals' in matcher) return { is: [matcher.equals.toLowerCase()] };
  if ('oneOf' in matcher) return { is: matcher.oneOf.map((item) => item.toLowerCase()) };
  if ('prefix' in matcher) return { prefix: matcher.prefix.toLowerCase() };
  return { suffix: matcher.suffix.toLowerCase() };
}

/** Exact values a matcher lists, or undefined for prefix/suffix matchers. */
function listed(matcher: Matcher): readonly string[] | undefined {
  return 'is' in matcher ? matcher.is : undefined;
}

const PLAIN_SIGNALS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'language'] as const;

function compileRule(rule: RuleOptions, at: string, problems: Problem[]): Rule {
  const compiled: Record<string, unknown> = {};
  if (Object.keys(rule).length === 0) {
    problems.push({ path: at, message: 'an empty rule would match every request; give it a signal, e.g. { utm_campaign: "spring" }, or leave out when' });
  }
  for (const signal of PLAIN_SIGNALS) {
    const matcher = rule[signal];
    if (matcher !== undefined) compiled[signal] = compileMatcher(matcher);
  }
  if (rule.country !== undefined && rule.continent !== undefined) {
    problems.push({ path: at, message: 'use either country or continent in one rule, not both (a continent is a list of countries)' });
  }
  if (rule.country !== undefined) {
    const matcher = compileMatcher(rule.country);
    const bad = (listed(matcher) ?? []).filter((code) => !/^[a-z]{2}$/.test(code));
    if (bad.length > 0) {
      problems.push({ path: `${at}.country`, message: `${bad.map((code) => `"${code.toUpperCase()}"`).join(', ')} is not a two-letter ISO 3166-1 country code, e.g. "DE"` });
    }
    compiled.country = matcher;
  }
  if (rule.continent !== undefined) {
    const codes = listed(compileMatcher(rule.continent))?.map((code) => code.toUpperCase());
    if (codes === undefined) {
      problems.push({ path: `${at}.continent`, message: 'list continent codes exactly (prefix and suffix make no sense here)' });
    } else {
      const countries: string[] = [];
      for (const code of codes) {
        if (isContinent(code)) countries.push(...countriesOf(code).map((country) => country.toLowerCase()));
        else problems.push({ path: `${at}.continent`, message: `"${code}" is not a continent code; use one of ${CONTINENTS.join(', ')}` });
      }
      compiled.country = { is: countries };
    }
  }
  if (rule.cookie !== undefined) compiled.cookie = rule.cookie;
  if (rule.from !== undefined) compiled.from = Date.parse(rule.from);
  if (rule.until !== undefined) compiled.until = Date.parse(rule.until);
  if (typeof compiled.from === 'number' && typeof compiled.until === 'number' && compiled.from >= compiled.until) {
    problems.push({ path: `${at}.until`, message: `must be after from (${rule.from}); the window is empty` });
  }
  return compiled as Rule;
}
