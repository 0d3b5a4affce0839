import { segmentsError } from '../segments-error.ts';
import type { Matcher, Rule } from '@astro-segments/edge';
import { CONTINENT_NAMES, CONTINENTS, countriesOf } from '../continents.ts';
import { sameCountries } from '../country-groups.ts';
import { countrySets } from '../country-sets.ts';
import type { SegmentsConfig } from '../virtual-config.ts';

/**
 * Marks the notice's `<aside>`, so tools comparing variants (the lints, the
 * report) can tell "only the notice differs" from real content changes.
 */
export const NOTICE_ATTRIBUTE = 'data-segment-notice';

export interface SegmentNoticeProps {
  /**
   * A page where visitors pick their version. Adds a "Choose another" link.
   * @example '/choose/'
   */
  chooseHref?: string;
  /** Class names added to each notice, next to `segment-notice`. */
  class?: string;
  /**
   * Start of each notice's accessible name; the version's label follows.
   * @default 'Version of this page'
   */
  label?: string;
  /**
   * A line for visitors who get a dimension's default (the standard version),
   * shown once per dimension the page varies on. Nothing by default.
   * @example 'Some pages adapt to who you are. You are seeing the standard version.'
   */
  standard?: string;
  /**
   * Your own wording of why, per value, replacing the one derived from its rules.
   * @example { 'region=uk': 'because your company files in the United Kingdom' }
   */
  because?: Readonly<Record<string, string>>;
}

/** One notice: shown (by the build) only in the files that serve `when`. */
export interface NoticeEntry {
  /** Serialized condition for the marker: `audience=customer`. */
  readonly when: string;
  readonly dimension: string;
  readonly value: string;
  /** True for the optional line shown to a dimension's default. */
  readonly standard: boolean;
  /** The plain-words sentence. */
  readonly text: string;
  /** Accessible name of the notice's landmark. */
  readonly name: string;
}

type Value = SegmentsConfig['dimensions'][number]['values'][number];

/** The notices a layout renders: one per non-default value, plus the optional standard lines. */
export function noticeEntries(config: SegmentsConfig, props: Readonly<SegmentNoticeProps> = {}): NoticeEntry[] {
  const label = props.label ?? 'Version of this page';
  const overrides = props.because ?? {};
  const known = new Set(config.dimensions.flatMap((d) => d.values.map((v) => `${d.name}=${v.name}`)));
  const unknown = Object.keys(overrides).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw segmentsError(
      `<SegmentNotice because> names ${unknown.map((key) => `"${key}"`).join(', ')}, which ${unknown.length === 1 ? 'is not a declared value' : 'are not declared values'}.`,
      `Key it by dimension=value, one of: ${[...known].join(', ')}.`,
    );
  }
  const entries: NoticeEntry[] = [];
  for (const dimension of config.dimensions) {
    for (const value of dimension.values) {
      const when = `${dimension.name}=${value.name}`;
      if (value.name === dimension.default) {
        if (props.standard) entries.push({ when, dimension: dimension.name, value: value.name, standard: true, text: props.standard, name: label });
        continue;
      }
      const because = overrides[when] ?? becauseOf(value);
      entries.push({
        when,
        dimension: dimension.name,
        value: value.name,
        standard: false,
        text: `You are seeing the version of this page for ${value.label}, ${because}.`,
        name: `${label}: ${value.label}`,
      });
    }
  }
  return entries;
}

/**
 * Why a visitor may get this value, from its rules, most likely reason first:
 * "because you are logged in, or because you chose it". An explicit choice is
 * always possible, and the page cannot know (statically) which reason applied.
 */
export function becauseOf(value: Value): string {
  const reasons = [...new Set(value.rules.map((rule) => describeRule(rule, value.relationship)))];
  reasons.push('you chose it');
  const clauses = reasons.map((reason) => `because ${reason}`);
  if (clauses.length <= 2) return clauses.join(', or ');
  return `${clauses.slice(0, -1).join(', ')}, or ${clauses.at(-1)}`;
}

/** One rule in plain words; its signals all hold ("… and …"). */
export function describeRule(rule: Rule, relationship: boolean): string {
  const parts: string[] = [];
  if (rule.cookie !== undefined) parts.push(relationship ? 'you are logged in' : `your browser has this site’s “${rule.cookie}” cookie`);
  if (rule.utm_campaign) parts.push(`you followed a link from the ${quoted(rule.utm_campaign)} campaign`);
  if (rule.utm_source) parts.push(`you followed a link from ${quoted(rule.utm_source)}`);
  if (rule.utm_medium) parts.push(`you arrived through ${quoted(rule.utm_medium)}`);
  if (rule.utm_content) parts.push(`you followed the ${quoted(rule.utm_content)} link`);
  if (rule.utm_term) parts.push(`you searched for ${quoted(rule.utm_term)}`);
  if (rule.referrer) parts.push(`you came here from ${hosts(rule.referrer)}`);
  if (rule.country) parts.push(`you seem to be visiting from ${placesOf(rule.country)}`);
  if (rule.language) parts.push(`your browser asks for pages in ${languages(rule.language)}`);
  // A window limits when other signals count; alone, it is the reason ("a seasonal version").
  if (parts.length === 0 && (rule.from !== undefined || rule.until !== undefined)) parts.push(`it is ${window(rule.from, rule.until)}`);
  return parts.join(' and ');
}

/** "a", "a or b", "a, b or c". */
export function listOf(items: readonly string[], conjunction = 'or'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

function quoted(matcher: Matcher): string {
  if ('is' in matcher) return listOf(matcher.is.map((item) => `“${item}”`));
  if ('prefix' in matcher) return `“${matcher.prefix}…”`;
  if ('domain' in matcher) return `“${matcher.domain}”`;
  return `“…${matcher.suffix}”`;
}

function hosts(matcher: Matcher): string {
  if ('is' in matcher) return listOf([...matcher.is]);
  // A host suffix names a site and its subdomains: `producthunt.com`.
  if ('suffix' in matcher) return matcher.suffix.replace(/^\./, '');
  if ('domain' in matcher) return matcher.domain;
  return `a site whose address starts with “${matcher.prefix}”`;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
/**
 * Country names, with whole country sets and continents named as such (`countrySet`
 * and `continent` rules compile to their countries).
 */
function placesOf(matcher: Matcher): string {
  if (!('is' in matcher))
    return `a country whose code ${'prefix' in matcher ? `starts with “${matcher.prefix.toUpperCase()}”` : 'suffix' in matcher ? `ends with “${matcher.suffix.toUpperCase()}”` : `is “${matcher.domain.toUpperCase()}”`}`;
  const left = new Set(matcher.is.map((code) => code.toUpperCase()));
  const names: string[] = [];
  const set = countrySets.names.find((name) => sameCountries(countrySets.countries(name), left));
  if (set) return countrySets.labels[set];
  for (const continent of CONTINENTS) {
    const countries = countriesOf(continent);
    if (countries.every((country) => left.has(country))) {
      names.push(CONTINENT_NAMES[continent]);
      for (const country of countries) left.delete(country);
    }
  }
  for (const code of left) names.push(countryName(code));
  return listOf(names);
}

const ARTICLE =
  /^(United |Czech Republic|Dominican Republic|Central African Republic|Netherlands|Philippines|Bahamas|Gambia|Maldives|Marshall Islands|Solomon Islands|Comoros|Seychelles)/;

function countryName(code: string): string {
  let name: string | undefined;
  try {
    name = regionNames.of(code);
  } catch {
    name = undefined;
  }
  if (!name || name === code) return code;
  return ARTICLE.test(name) ? `the ${name}` : name;
}

function languages(matcher: Matcher): string {
  if (!('is' in matcher)) return quoted(matcher);
  return listOf(
    matcher.is.map((code) => {
      try {
        return languageNames.of(code) ?? code;
      } catch {
        return code;
      }
    }),
  );
}

const day = (epoch: number) => new Date(epoch).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A window's end is exclusive; at midnight (a date-only `until`) name the last day it includes. */
function window(from: number | undefined, until: number | undefined): string {
  const midnight = until !== undefined && until % 86_400_000 === 0;
  const last = until === undefined ? '' : day(midnight ? until - 86_400_000 : until);
  if (from !== undefined && until !== undefined) return `between ${day(from)} and ${last}`;
  if (from !== undefined) return `${day(from)} or later`;
  return midnight ? `${last} or earlier` : `before ${last}`;
}
