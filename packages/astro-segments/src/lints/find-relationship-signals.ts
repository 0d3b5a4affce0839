import type { Rule } from '@astro-segments/edge';
import type { ResolvedOptions } from '../validate-options.ts';
import { CONFIG_FILE, lint, rulePath, type Lint } from './lint.ts';

/** Signals anyone can carry: a link's utm tags, the referring site, the country, the language. */
const COARSE = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'country', 'language'] as const;

const coarseSignalsOf = (rule: Rule) => COARSE.filter((signal) => rule[signal] !== undefined);

/**
 * Recognizing someone belongs to relationships: a cookie rule on a value not
 * marked `relationship: true` treats strangers as known; a relationship value
 * recognized only from coarse signals gives strangers the members' version.
 */
export function findRelationshipSignals(options: ResolvedOptions): Lint[] {
  const lints: Lint[] = [];
  for (const dimension of options.dimensions) {
    for (const value of dimension.values) {
      const at = `dimensions.${dimension.name}.values.${value.name}`;
      if (!value.relationship) {
        value.rules.forEach((rule, index) => {
          if (rule.cookie === undefined) return;
          lints.push(
            lint(
              'cookie-without-relationship',
              CONFIG_FILE,
              `${rulePath(dimension.name, value.name, index, value.rules.length)} recognizes visitors by the cookie "${rule.cookie}", but ${at} is not marked relationship: true. Recognizing someone implies a relationship; strangers should get coarse signals only.`,
              `If "${rule.cookie}" is a login or subscription your site sets, add relationship: true to ${at}; otherwise use a coarse signal (utm_*, referrer, country, language) instead of the cookie.`,
            ),
          );
        });
        continue;
      }
      if (value.rules.length === 0 || value.rules.some((rule) => rule.cookie !== undefined)) continue;
      const which = value.rules.map(
        (rule, index) => `${rulePath(dimension.name, value.name, index, value.rules.length)} (${coarseSignalsOf(rule).join(', ') || 'a date window'})`,
      );
      lints.push(
        lint(
          'relationship-by-inference',
          CONFIG_FILE,
          `${at} is marked relationship: true, but only coarse signals pick it: ${which.join('; ')}. Anyone with the same link, referrer, country or language gets the version meant for ${value.label}.`,
          `Recognize ${value.name} by the login cookie your site already sets (when: { cookie: 'session' }), or remove relationship: true if these visitors are not known to you.`,
        ),
      );
    }
  }
  return lints;
}
