/**
 * A compiled rule in the terms an author wrote it in (the options' own
 * words), for the build report and the Dev Toolbar: every part must hold.
 * `continent` and `countrySet` rules are compiled to their countries; they
 * are named again when the list is exactly one of them. (Visitors read rules
 * in plain words instead: `describeRule` in components/notice.ts.)
 */
import type { Matcher, Rule } from '@astro-segments/edge';
import { CONTINENTS, countriesOf } from './continents.ts';
import { sameCountries } from './country-groups.ts';
import { countrySets } from './country-sets.ts';

export function ruleText(rule: Rule): string {
  const parts: string[] = [];
  for (const signal of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'language'] as const) {
    const matcher = rule[signal];
    if (matcher) parts.push(`${signal} ${matcherText(matcher)}`);
  }
  if (rule.country) parts.push(countryText(rule.country));
  if (rule.cookie !== undefined) parts.push(`cookie "${rule.cookie}" is present`);
  if (rule.from !== undefined) parts.push(`from ${isoDay(rule.from)}`);
  if (rule.until !== undefined) parts.push(`until ${isoDay(rule.until)} (exclusive)`);
  return parts.join(' and ');
}

export function matcherText(matcher: Matcher): string {
  if ('is' in matcher) return matcher.is.length === 1 ? `is "${matcher.is[0]}"` : `is one of ${matcher.is.map((item) => `"${item}"`).join(', ')}`;
  if ('prefix' in matcher) return `starts with "${matcher.prefix}"`;
  if ('domain' in matcher) return `is "${matcher.domain}" or a subdomain of it`;
  return `ends with "${matcher.suffix}"`;
}

function countryText(matcher: Matcher): string {
  if (!('is' in matcher)) return `country ${matcherText(matcher)}`;
  const codes = new Set(matcher.is.map((code) => code.toUpperCase()));
  const continent = CONTINENTS.find((name) => sameCountries(countriesOf(name), codes));
  if (continent) return `continent is ${continent}`;
  // A one-country set (uk) reads better as the country the author may have written.
  const set = countrySets.names.find((name) => codes.size > 1 && sameCountries(countrySets.countries(name), codes));
  if (set) return `country set is ${set}`;
  const list = [...codes];
  return list.length === 1
    ? `country is ${list[0]}`
    : `country is one of ${list.slice(0, 8).join(', ')}${list.length > 8 ? ` and ${list.length - 8} more` : ''}`;
}

/** A day as written (`2027-02-01`), a moment to the second otherwise. */
const isoDay = (epoch: number) =>
  new Date(epoch)
    .toISOString()
    .replace(/T00:00:00\.000Z$/, '')
    .replace(/\.000Z$/, 'Z');
