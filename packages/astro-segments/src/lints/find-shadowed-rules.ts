import type { Matcher, Rule } from '@astro-segments/edge';
import type { ResolvedOptions } from '../validate-options.ts';
import { CONFIG_FILE, lint, rulePath, type Lint } from './lint.ts';

const MATCHED_SIGNALS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'referrer', 'country', 'language'] as const;

/** Does `wide` accept every string `narrow` accepts? */
export function matcherCovers(wide: Matcher, narrow: Matcher): boolean {
  if ('is' in wide) return 'is' in narrow && narrow.is.every((item) => wide.is.includes(item));
  if ('prefix' in wide) {
    if ('prefix' in narrow) return narrow.prefix.startsWith(wide.prefix);
    return 'is' in narrow && narrow.is.every((item) => item.startsWith(wide.prefix));
  }
  // A domain covers itself and its subdomains; a plain suffix is not analysed against it.
  if ('domain' in wide)
    return 'domain' in narrow
      ? narrow.domain === wide.domain || narrow.domain.endsWith(`.${wide.domain}`)
      : 'is' in narrow && narrow.is.every((item) => item === wide.domain || item.endsWith(`.${wide.domain}`));
  if ('domain' in narrow) return false;
  if ('suffix' in narrow) return narrow.suffix.endsWith(wide.suffix);
  return 'is' in narrow && narrow.is.every((item) => item.endsWith(wide.suffix));
}

/**
 * Does every request `narrow` matches also match `wide`? True when each signal
 * `wide` checks is checked by `narrow` too, at least as strictly: a matcher
 * that accepts all `narrow` accepts, the same cookie, a window inside `wide`'s.
 */
export function ruleCovers(wide: Rule, narrow: Rule): boolean {
  for (const signal of MATCHED_SIGNALS) {
    const matcher = wide[signal];
    if (matcher === undefined) continue;
    const other = narrow[signal];
    if (other === undefined || !matcherCovers(matcher, other)) return false;
  }
  if (wide.cookie !== undefined && narrow.cookie !== wide.cookie) return false;
  if (wide.from !== undefined && (narrow.from === undefined || narrow.from < wide.from)) return false;
  if (wide.until !== undefined && (narrow.until === undefined || narrow.until > wide.until)) return false;
  return true;
}

/**
 * Rules that can never win: the router tries values in order, so a rule every
 * request of which an earlier value's rule also matches is dead.
 */
export function findShadowedRules(options: ResolvedOptions): Lint[] {
  const lints: Lint[] = [];
  for (const dimension of options.dimensions) {
    dimension.values.forEach((value, position) => {
      const earlier = dimension.values.slice(0, position);
      let shadowed = 0;
      value.rules.forEach((rule, index) => {
        for (const before of earlier) {
          const winner = before.rules.findIndex((candidate) => ruleCovers(candidate, rule));
          if (winner < 0) continue;
          shadowed++;
          const only = shadowed === value.rules.length;
          lints.push(
            lint(
              'shadowed-rule',
              CONFIG_FILE,
              `${rulePath(dimension.name, value.name, index, value.rules.length)} can never win: every request it matches also matches ${rulePath(dimension.name, before.name, winner, before.rules.length)}, and ${before.name} comes first.${only ? ` ${value.name} can then only be chosen explicitly (?${options.param}=${value.name}).` : ''}`,
              `Move ${value.name} above ${before.name} in dimensions.${dimension.name}.values if it should win, narrow ${before.name}'s rule, or delete the unreachable rule.`,
            ),
          );
          break;
        }
      });
    });
  }
  return lints;
}
