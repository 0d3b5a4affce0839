/**
 * What a host bundle gets instead of an optional module its manifest never
 * uses (see features.ts): the same exports, reading nothing. No rule of that
 * manifest reads their signal; if one did, the signal would read as empty and
 * the rule would not match.
 */
import type * as Language from './language.ts';
import type * as Referrer from './referrer.ts';

export const language: typeof Language.language = () => '';
export const referrerHost: typeof Referrer.referrerHost = () => '';
