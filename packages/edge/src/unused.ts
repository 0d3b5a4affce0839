/**
 * What a host bundle gets instead of an optional module its manifest never
 * uses (see features.ts): the same exports, reading nothing. No rule of that
 * manifest reads their signal; if one did, the signal would read as empty and
 * the rule would not match. And for a bundle whose routes are not packed (a
 * small site's, see packed.ts), the route as it is.
 */
import type * as Language from './language.ts';
import type * as Referrer from './referrer.ts';
import type * as Packed from './packed.ts';
import type { CompiledRoute } from './compile.ts';

export const language: typeof Language.language = () => '';
export const referrerHost: typeof Referrer.referrerHost = () => '';
export const unpackedRoute: typeof Packed.unpackedRoute = (routes, key) => routes[key] as CompiledRoute;
