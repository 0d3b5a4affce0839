/**
 * Plain words for the toolbar: why a dimension got its value (from the
 * router's own `X-Segments` reasons) and what a compiled rule asks for.
 */
import { ruleText } from '../rule-text.ts';
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
    return `Rule ${rule[1]} of "${value}" matched${matched ? `: ${ruleText(matched)}` : ''}.`;
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
