/**
 * Holdouts: lift measured without identifiers. With `manifest.holdout`, each
 * eligible visitor is drawn once into `control` (probability `share`) or
 * `treatment`. Control gets nothing inferred, exactly as under DNT: explicit
 * choices and defaults only (the debug reason says `holdout`). Treatment is
 * the ordinary router.
 *
 * Eligible: the site's consent cookie is present, the request sends neither
 * GPC nor DNT, and it is not a crawler. Anyone else has no group (the
 * ordinary router) and never gets the cookie; a group stored before consent
 * was withdrawn is ignored, not cleared: list the cookie in your consent tool
 * so a withdrawal deletes it (page scripts can, it is not HttpOnly).
 *
 * The group cookie holds `control` or `treatment`, nothing else: no request
 * data, no identifier. It is set once, with the consent, and never renewed; a
 * malformed one is replaced by a new draw. It is not HttpOnly, so the page's
 * analytics script can send the group next to the segments label (see
 * MEASUREMENT.md). A new group is stored only on a response that sets no
 * choice cookie: a request that makes an explicit choice (or resets it) is
 * served as an ungrouped visitor and the draw waits for the next page, so a
 * Decision never needs two Set-Cookie headers. Ungrouped page views are not
 * counted in either group, like the views before consent. A prefetch (see
 * `Signals.prefetch`) never draws either: it is served ungrouped and `no-store`,
 * so the navigation, if it comes, is drawn and stored as usual.
 *
 * Only host entries of sites that configure a holdout import this module, so
 * the router bundle of every other site does not grow.
 */
import { cookieValue } from './cookie.ts';
import { decideUnguarded } from './decide.ts';
import type { ManifestHoldout } from './manifest.ts';
import type { Decider, Decision, Signals } from './types.ts';

export type HoldoutGroup = 'control' | 'treatment';

/**
 * The Decider for a site with a holdout; without `manifest.holdout` it is the
 * plain router. `random` gives a number in [0, 1) and is called only when a new
 * group is stored (tests pass a fixed sequence). Like the router under it, it
 * may throw on a corrupt manifest: `serve` and the adapters catch.
 */
export function holdout(random: () => number = Math.random): Decider {
  return (s, m) => {
    const d = decideUnguarded(s, m);
    const h = m.holdout;
    if (!d || !h || s.bot) return d;
    // Not eligible: no group, and no cookie. A group stored earlier is left alone (and ignored).
    if (s.gpc || s.dnt || cookieValue(s.cookie, h.consent) == undefined) return d;
    let group = cookieValue(s.cookie, h.cookie);
    // A valid stored group is kept as it is: never re-set, so never renewed. Anything else is drawn
    // anew, unless a choice cookie goes out with this response: then on a later one.
    const draw = group != 'control' && group != 'treatment';
    if (draw && s.prefetch) return { ...d, headers: { ...d.headers, 'Cache-Control': 'private, no-store' } };
    if (draw && d.setCookie) return d;
    if (draw) group = random() < h.share ? 'control' : 'treatment';
    // Control: the router's DNT policy (explicit choices, then defaults; nothing inferred), with the
    // debug reason renamed. Grouped visitors never send DNT, so every `(dnt)` here is the holdout's.
    // `out` is this request's own, freshly made Decision: editing its headers in place is safe.
    const out = group == 'control' ? decideUnguarded(s, m, true)! : d;
    const headers = out.headers as Record<string, string>;
    if (headers['X-Segments']) headers['X-Segments'] = headers['X-Segments'].replaceAll('(dnt)', '(holdout)');
    return draw ? store(out, h, s, group as HoldoutGroup) : out;
  };
}

/** `d` with a new group cookie. Like the router's own cookie, it makes the response `no-store`. */
function store(d: Decision, h: ManifestHoldout, s: Signals, group: HoldoutGroup): Decision {
  return {
    ...d,
    headers: { ...d.headers, 'Cache-Control': 'private, no-store' },
    setCookie: `${h.cookie}=${group}; Path=/; Max-Age=${~~h.maxAge}; SameSite=Lax${s.secure ? '; Secure' : ''}`,
  };
}
