/**
 * Plain words for the toolbar: why a dimension got its value (from the
 * router's own `X-Segments` reasons) and what a compiled rule asks for.
 */
import type { Matcher, Rule } from '@astro-segments/edge';
import { CONTINENTS, countriesOf } from '../continents.ts';
import { sameCountries } from '../country-groups.ts';
import { countrySets } from '../country-sets.ts';
import type { ResolvedDimension } from '../validate-options.ts';

/** One entry of the router's `X-Segments` header: `region=eu (rule 1)`. */
export interface Reason {
  readonly dimension: string;
  readonly value: string;
  /** `preview`, `choice`, `cookie`, `reset`, `bot`, `gpc`, `dnt`, `rule <n>` or `default`. */
  readonly reason: string;
}

/**
 * Read the router's debug header. It is built only from declared names and
 * fixed words, so a strict pattern reads all of it.
 */
export function parseReasons(header: string | undefined): Reason[] {
  const reasons: Reason[] = [];
  for (const part of (header ?? '').split('; ')) {
    const match = /^([a-z][a-z0-9_]*)=([a-z][a-z0-9_]*) \(([a-z0-9 ]+)\)$/.exec(part);
    if (match) reasons.push({ dimension: match[1]!, value: match[2]!, reason: match[3]! });
  }
  return reasons;
}

/** Why `dimension` got `value`, in a sentence. */
export function explain(dimension: ResolvedDimension, value: string, reason: string, param: string, previewParam: string, cookie: string): string {
  const rule = /^rule (\d+)$/.exec(reason);
  if (rule) {
    const rules = dimension.values.find((candidate) => candidate.name === value)?.rules ?? [];
    const matched = rules[Number(rule[1]) - 1];
    return `Rule ${rule[1]} of "${value}" matched${matched ? `: ${describeRule(matched)}` : ''}.`;
  }
  switch (reason) {
    case 'preview':
      return `Previewed with ?${previewParam}= for this response only; nothing is stored.`;
    case 'choice':
      return `Chosen with ?${param}= and remembered in the "${cookie}" cookie, as a visitor's own choice would be.`;
    case 'cookie':
      return `A remembered choice: the "${cookie}" cookie.`;
    case 'reset':
      return `?${param}=reset: the standard version, and the "${cookie}" cookie is cleared.`;
    case 'bot':
      return 'A known crawler: crawlers always get the default.';
    case 'gpc':
      return 'Global Privacy Control is on: nothing is inferred, so the default (a choice would still count).';
    case 'dnt':
      return 'Do Not Track is on: nothing is inferred, so the default (a choice would still count).';
    case 'default':
      return 'No rule matched: the default.';
    default:
      // A reason this version does not know yet: the router's own word.
      return `The router says: ${reason}.`;
  }
}

/** A compiled rule as the author wrote it, roughly: every part must hold. */
export function describeRule(rule: Rule): string {
  const parts: string[] = [];
  for (const signal of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'language'] as const) {
    const matcher = rule[signal];
    if (matcher) parts.push(`${signal} ${matcherText(matcher)}`);
  }
  if (rule.country) parts.push(countryText(rule.country));
  if (rule.cookie !== undefined) parts.push(`cookie "${rule.cookie}" is present`);
  if (rule.from !== undefined) parts.push(`from ${new Date(rule.from).toISOString()}`);
  if (rule.until !== undefined) parts.push(`until ${new Date(rule.until).toISOString()}`);
  return parts.join(' and ');
}

function matcherText(matcher: Matcher): string {
  if ('is' in matcher) return matcher.is.length === 1 ? `is "${matcher.is[0]}"` : `is one of ${matcher.is.map((item) => `"${item}"`).join(', ')}`;
  if ('prefix' in matcher) return `starts with "${matcher.prefix}"`;
  if ('domain' in matcher) return `is "${matcher.domain}" or a subdomain of it`;
  return `ends with "${matcher.suffix}"`;
}

/** `continent` and `countrySet` rules are compiled to their countries; name them again when the list is exactly one. */
function countryText(matcher: Matcher): string {
  if (!('is' in matcher)) return `country ${matcherText(matcher)}`;
  const codes = new Set(matcher.is.map((code) => code.toUpperCase()));
  const continent = CONTINENTS.find((name) => sameCountries(countriesOf(name), codes));
  if (continent) return `continent is ${continent}`;
  // A one-country set (uk) reads better as the country the author may have written.
  const set = countrySets.names.find((name) => codes.size > 1 && sameCountries(countrySets.countries(name), codes));
  if (set) return `country set is ${set}`;
  const list = [...codes];
  return list.length === 1 ? `country is ${list[0]}` : `country is one of ${list.slice(0, 8).join(', ')}${list.length > 8 ? ` and ${list.length - 8} more` : ''}`;
}
