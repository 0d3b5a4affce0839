import { COOKIE_NAME } from '@astro-segments/edge/validate';
import { HOST_NAMES } from './hosts/detect-host.ts';
import { z } from 'astro/zod';

/**
 * How a rule compares one request signal. Matching is case-insensitive.
 * - `'spring'` — exactly this value
 * - `['de', 'at', 'ch']` or `{ oneOf: [...] }` — any of these
 * - `{ equals: 'x' }`, `{ prefix: 'x' }`, `{ suffix: 'x' }` (a plain string suffix)
 * - `{ domain: 'example.com' }` — the host is the domain or one of its subdomains
 * Regular expressions are deliberately not supported: rules must stay cheap and
 * analyzable at build time.
 */
const MatcherSchema = z.union([
  z.string().min(1),
  z.array(z.string().min(1)).min(1),
  z.object({ equals: z.string().min(1) }).strict(),
  z.object({ oneOf: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ prefix: z.string().min(1) }).strict(),
  z.object({ suffix: z.string().min(1) }).strict(),
  z.object({ domain: z.string().min(1) }).strict(),
]);

const PARAM_NAME = 'must be a lowercase query parameter name: a letter, then up to 31 of a-z, 0-9, _ and -, e.g. "segment"';

/** One rule: every signal listed must match. */
const RuleSchema = z
  .object({
    /** `utm_source` query parameter. @example 'newsletter' */
    utm_source: MatcherSchema.optional(),
    /** `utm_medium` query parameter. @example 'cpc' */
    utm_medium: MatcherSchema.optional(),
    /** `utm_campaign` query parameter. @example 'spring-launch' */
    utm_campaign: MatcherSchema.optional(),
    /** `utm_term` query parameter. */
    utm_term: MatcherSchema.optional(),
    /** `utm_content` query parameter. */
    utm_content: MatcherSchema.optional(),
    /** Host name of the referring page (never its path). @example { domain: 'producthunt.com' } */
    referrer: MatcherSchema.optional(),
    /** ISO 3166-1 alpha-2 country code, from the host platform's own geo data only. @example ['DE', 'AT', 'CH'] */
    country: MatcherSchema.optional(),
    /**
     * Continent code (AF, AN, AS, EU, NA, OC, SA); expanded to countries at build.
     * `EU` is Europe (Switzerland, Norway and the UK included), not the European Union: see `countrySet`.
     * @example 'EU'
     */
    continent: MatcherSchema.optional(),
    /**
     * A named set of countries for a legal region: `eu` (the 27 member states), `eea` (EU plus
     * Iceland, Liechtenstein and Norway), `efta` (Iceland, Liechtenstein, Norway, Switzerland),
     * `uk` (GB); expanded to countries at build.
     * @example 'eu'
     */
    countrySet: MatcherSchema.optional(),
    /** Primary language of the visitor's most preferred Accept-Language entry. @example 'de' */
    language: MatcherSchema.optional(),
    /**
     * Name of a first-party cookie your site already sets (a login session, say).
     * Only its presence is checked; its value is never read.
     * @example 'session'
     */
    cookie: z.string().regex(COOKIE_NAME, 'must be a valid cookie name').optional(),
    /** Start of a date window (inclusive), an ISO 8601 date or date-time. @example '2026-03-01' */
    from: z.iso
      .date()
      .or(z.iso.datetime({ offset: true }))
      .optional(),
    /** End of a date window (exclusive), an ISO 8601 date or date-time. @example '2026-04-01' */
    until: z.iso
      .date()
      .or(z.iso.datetime({ offset: true }))
      .optional(),
  })
  .strict();

const ValueSchema = z
  .object({
    /**
     * When this value applies. One rule, or a list where any rule may match.
     * Leave it out for values chosen only explicitly or used as the default.
     * @example { cookie: 'session' }
     */
    when: z.union([RuleSchema, z.array(RuleSchema).min(1)]).optional(),
    /** Human-readable name, shown in choosers and reports. @example 'Existing customers' */
    label: z.string().min(1).optional(),
    /**
     * Marks visitors who already have a relationship with the site (customers,
     * subscribers). Used by the build report's lints.
     */
    relationship: z.boolean().optional(),
  })
  .strict();

const DimensionSchema = z
  .object({
    /** Value served when no choice or rule decides: the full menu. @example 'prospect' */
    default: z.string(),
    /** Values in priority order: the first whose rule matches wins. */
    values: z.record(z.string(), ValueSchema),
  })
  .strict();

export const OptionsSchema = z
  .object({
    /**
     * The questions a page can vary on, each with exactly one answer per request.
     * @example { audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' } }, prospect: {} } } }
     */
    dimensions: z.record(z.string(), DimensionSchema),
    /** Build-time limits on how many variant files personalization may add. */
    budget: z
      .object({
        /** Most distinct variant files one page may produce (its default page not counted). @default 16 */
        perPage: z.number().int().positive().optional(),
        /** Most variant files the whole site may produce. @default 400 */
        perSite: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /** Query parameter of an explicit, remembered choice. @default 'segment' */
    param: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, PARAM_NAME)
      .optional(),
    /** Query parameter of a one-off preview that is not remembered. @default 'segment-preview' */
    previewParam: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, PARAM_NAME)
      .optional(),
    /** The one cookie that remembers an explicit choice. */
    cookie: z
      .object({
        /** Cookie name; `__Host-` is prefixed on HTTPS. @default 'segment' */
        name: z.string().regex(COOKIE_NAME, 'must be a valid cookie name').optional(),
        /** Lifetime in days, never renewed by later visits. At most 400 (the browser limit). @default 30 */
        maxAgeDays: z.number().int().min(1).max(400).optional(),
      })
      .strict()
      .optional(),
    /**
     * A holdout, to measure lift without identifiers: a share of eligible visitors
     * (your consent cookie present, no GPC or DNT, not a crawler) is kept in a
     * control group that sees the standard version of every inferred dimension
     * (explicit choices still apply). The group is stored in one cookie whose
     * value is only `control` or `treatment`, set once with consent and never
     * renewed; send it to analytics next to the segments label (MEASUREMENT.md).
     * Leave it out and the router carries no holdout code at all.
     * @example { share: 0.1, consentCookie: 'cookie_consent' }
     */
    holdout: z
      .object({
        /** Share of eligible visitors held out in the control group, between 0 and 1 (exclusive). @example 0.1 */
        share: z.number().gt(0).lt(1),
        /**
         * Name of the cookie your consent banner sets once the visitor agrees. Only its
         * presence is checked; without it nobody is grouped and no group cookie is set.
         * @example 'cookie_consent'
         */
        consentCookie: z.string().regex(COOKIE_NAME, 'must be a valid cookie name'),
        /** Name of the group cookie (readable by page scripts: not HttpOnly). @default 'segment_group' */
        cookie: z.string().regex(COOKIE_NAME, 'must be a valid cookie name').optional(),
        /** Lifetime of the group cookie in days, never renewed. At most 400 (the browser limit). @default 90 */
        maxAgeDays: z.number().int().min(1).max(400).optional(),
      })
      .strict()
      .optional(),
    /** URL path segment under which variant files live. @default '_segments' */
    prefix: z
      .string()
      .regex(/^[a-z0-9_][a-z0-9_-]{0,31}$/, 'must be one folder name of up to 32 of a-z, 0-9, _ and - (not starting with -), e.g. "_segments"')
      .optional(),
    /** Add an `X-Segments` response header naming the chosen values and winning rules. @default false */
    debug: z.boolean().optional(),
    /**
     * Host outputs to write. `'auto'` picks the one matching your Astro adapter
     * (`@astrojs/netlify`, `@astrojs/vercel`, `@astrojs/cloudflare`); the Node
     * server needs none. @default 'auto'
     */
    hosts: z.union([z.literal('auto'), z.array(z.enum(HOST_NAMES))]).optional(),
    /**
     * The build report: `report.html` (for people) and `report.json` (for tools),
     * written to `<root>/.astro-segments/`, outside the deployed site.
     * @example { publish: true }
     */
    report: z
      .object({
        /**
         * Also copy the HTML report into the deployed site, at `/<prefix>/report.html`.
         * Anyone can then read which pages you personalize and why. @default false
         */
        publish: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /**
     * Checks on how the site personalizes (dead variants, unused values, shadowed
     * rules, over-personalization, sensitive names, relationship signals).
     * @example { strict: true, maxBlocksPerPage: 4 }
     */
    lints: z
      .object({
        /** Fail the build on any lint instead of warning. @default false */
        strict: z.boolean().optional(),
        /** Most personalized blocks one page may have before it counts as over-personalized. @default 6 */
        maxBlocksPerPage: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /**
     * Write `/.well-known/gpc.json` (`{ "gpc": true, "lastUpdate": "…" }`), telling
     * visitors' browsers that the site honours Global Privacy Control. A file your
     * `public/` folder already provides is left as it is. @default false
     * @example true
     */
    gpc: z.boolean().optional(),
  })
  .strict();

export type SegmentsOptions = z.input<typeof OptionsSchema>;
export type ParsedOptions = z.output<typeof OptionsSchema>;
export type RuleOptions = z.output<typeof RuleSchema>;
export type MatcherOptions = z.output<typeof MatcherSchema>;

export const OPTION_DEFAULTS = {
  budget: { perPage: 16, perSite: 400 },
  param: 'segment',
  previewParam: 'segment-preview',
  cookie: { name: 'segment', maxAgeDays: 30 },
  holdout: { cookie: 'segment_group', maxAgeDays: 90 },
  prefix: '_segments',
  debug: false,
  hosts: 'auto',
  report: { publish: false },
  lints: { strict: false, maxBlocksPerPage: 6 },
  gpc: false,
} satisfies Omit<Required<ParsedOptions>, 'dimensions' | 'holdout'> & {
  holdout: Pick<Required<NonNullable<ParsedOptions['holdout']>>, 'cookie' | 'maxAgeDays'>;
};
