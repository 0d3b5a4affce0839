/**
 * What a host bundle gets instead of an optional module its manifest never
 * uses (see features.ts): the same exports, reading nothing. No rule of that
 * manifest reads their signal; if one did, the signal would read as empty and
 * the rule would not match. And for a bundle whose routes are not packed (a
 * small site's, see packed.ts), a route is looked up as the own key it is.
 */
import type * as Language from './language.ts';
import type * as Referrer from './referrer.ts';
import type * as Packed from './packed.ts';

export const language: typeof Language.language = () => '';
export const referrerHost: typeof Referrer.referrerHost = () => '';
// What packed.ts's findRoute returns for routes without a table (`never`: TypeScript cannot name the caller's route type here).
export const findRoute: typeof Packed.findRoute = (routes, key) => (Object.hasOwn(routes, key) && routes[key]) as never;
