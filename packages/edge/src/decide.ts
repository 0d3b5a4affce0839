import type { CompiledManifest, Condition } from './compile.ts';
import { compiled } from './compiled.ts';
import type { AnyManifest, Decision, Signals } from './types.ts';
import { cookieValue } from './cookie.ts';
import { findRoute } from './packed.ts';
import { COOKIE, DATES, DEBUG, DOMAIN, IS, PREFIX, SUFFIX, UTM } from './uses.ts';

/**
 * Pick the variant for a request. Pure: the answer depends only on `signals`
 * and `manifest`. Returns null when the request is not ours to personalize
 * (pass it through untouched). Never throws: any internal error is null too.
 */
export function decide(signals: Signals, manifest: AnyManifest): Decision | null {
  try {
    return decideUnguarded(signals, manifest);
  } catch {
    return null;
  }
}

/**
 * `decide` without its guard: a corrupt manifest or a malformed path may throw.
 * Only for callers that catch every error themselves and then serve the default
 * page (`serve`, the Vercel adapter, `holdout()` under them), so the host bundles
 * do not pay for a second guard. Reads each signal when it first needs it: a
 * request for a page that is not personalized costs its method, its path and one
 * lookup.
 *
 * `inferNothing`: decide as under DNT whatever the request says (`holdout()`'s
 * control group).
 */
export function decideUnguarded(s: Signals, manifest: AnyManifest, inferNothing?: boolean): Decision | null {
  // The route first, on whatever was handed over: a page that is not personalized is never compiled for.
  const key = routeKey(s.method, s.path, manifest);
  if (key === null) return null;
  const m = compiled(manifest);
  const route = findRoute(m.routes, key);
  // A manifest of another version compiles to no pages. A page whose entry did not compile is
  // null here: it passes through untouched, as a failure would (the page as it is).
  if (!route) return null;
  const { pairs, dimensions } = m;
  const bot = s.bot;
  const preview = items(s.preview);
  const choice = items(s.choice);
  const reset = choice.includes('reset');
  const cookieName = s.secure ? m.secureCookie : m.cookie.name;
  // Our own cookie holds only `dim:value` entries. A new choice wins over it per dimension;
  // reset ignores it.
  const stored = reset
    ? NONE
    : (cookieValue(s.cookie, cookieName)
        ?.split('|')
        .filter((entry) => entry.includes(':')) ?? NONE);
  // GPC/DNT, read once and only when a dimension gets that far.
  let policy: string | undefined;

  const values: Record<string, string> = {};
  // Each value and why it won, for X-Segments when the manifest asks for it.
  let why = '';
  // The number of the combination (compile.ts): each value's position in its dimension, a digit.
  let combination = 0;
  for (const position of route.dims) {
    const dimension = dimensions[position]!;
    const { name } = dimension;
    // Precedence: bot policy > preview > reset > choice > cookie > GPC/DNT policy > rules > default.
    let value: string | undefined;
    // A rule's number until the explanation is written: no string built per request without debug.
    let reason: string | number = 'default';
    if (bot) reason = 'bot';
    else if ((value = pick(pairs, preview, name))) reason = 'preview';
    else if (reset) reason = 'reset';
    else if ((value = pick(pairs, choice, name))) reason = 'choice';
    else if ((value = pick(pairs, stored, name))) reason = 'cookie';
    // The holdout's control group is decided here too, as DNT (holdout.ts renames the reason).
    else if ((policy ??= s.gpc ? 'gpc' : inferNothing || s.dnt ? 'dnt' : '')) reason = policy;
    else
      rules: for (const [candidate, rules] of dimension.values)
        for (let n = 0; n < rules.length; n++)
          if (holds(rules[n]!, s)) {
            value = candidate;
            reason = n + 1;
            break rules;
          }
    values[name] = value ??= dimension.default;
    // A declared value (rules, pairs and the default name only those), so it has a position.
    combination = combination * dimension.values.length + dimension.at[value]!;
    if (DEBUG && m.debug) why += `${why && '; '}${name}=${value} (${typeof reason == 'number' ? 'rule ' + reason : reason})`;
  }

  // Only an explicit choice writes the cookie (it is never renewed otherwise), and bots never
  // get one. GPC/DNT do not block it: the visitor asked to be remembered, and the value is
  // their own declared choice, not an inference. A prefetch shows the choice without storing
  // it, and is `no-store` like the response that would have stored it, so the browser cannot
  // keep it for the navigation: that one comes back and stores the choice.
  const stores = !bot && (reset || declares(pairs, choice));
  let setCookie: string | undefined;
  if (stores && !s.prefetch) {
    // Every dimension's remembered value, in the manifest's order; none after a reset.
    let entries = '';
    if (!reset)
      for (const { name } of dimensions) {
        const value = pick(pairs, choice, name) ?? pick(pairs, stored, name);
        if (value) entries += `${entries && '|'}${name}:${value}`;
      }
    setCookie = `${cookieName}=${entries}; Path=/; Max-Age=${reset ? 0 : ~~m.cookie.maxAge}; HttpOnly; SameSite=Lax${s.secure ? '; Secure' : ''}`;
  }

  const headers: Record<string, string> = { 'Cache-Control': stores ? 'private, no-store' : 'private, no-cache' };
  if (DEBUG && m.debug) headers['X-Segments'] = why;
  const hash = route.files[combination];
  return { route: key, values, path: hash ? m.prefix + hash + '.html' : null, headers, setCookie };
}

const NONE: readonly string[] = [];

/** Whether an item names a declared value. */
const declares = (pairs: CompiledManifest['pairs'], list: readonly string[]): boolean => list.some((item) => Object.hasOwn(pairs, item));

/**
 * The value the first item naming one of `dimension`'s values gives it (the word after the
 * `:` of `dim:value`, or the bare value); items that name nothing declared are skipped. (A
 * name Object.prototype has is a function, never a dimension's name.)
 */
function pick(pairs: CompiledManifest['pairs'], list: readonly string[], dimension: string): string | undefined {
  for (const item of list) if (pairs[item] === dimension) return item.slice(item.indexOf(':') + 1);
  return undefined;
}

/**
 * Query items: comma lists, trimmed, lower-cased. An item with anything outside printable ASCII
 * (even Unicode spaces, which trim would remove) is dropped before lower-casing, so a look-alike
 * (the Kelvin sign lower-cases to "k") can never reach a declared name.
 */
function items(values: readonly string[]): readonly string[] {
  if (!values.length) return NONE;
  const out: string[] = [];
  for (const value of values)
    nextItem: for (const item of value.split(',')) {
      for (const character of item) if (character < ' ' || character > '~') continue nextItem;
      out.push(item.trim().toLowerCase());
    }
  return out;
}

/** A rule holds when every one of its conditions does (AND). */
function holds(conditions: readonly Condition[], s: Signals): boolean {
  for (const condition of conditions) if (!meets(condition, s)) return false;
  return true;
}

/**
 * One condition. A matcher never matches an empty signal, so a missing value cannot satisfy
 * `prefix: ''`. Each test is behind its flag, so a site's bundle carries only the tests its
 * rules use (uses.ts).
 */
function meets([signal, test, against]: Condition, s: Signals): boolean {
  if (!signal)
    return COOKIE && test == 'cookie' ? cookieValue(s.cookie, against) !== undefined : DATES && (test == 'from' ? s.now >= against : s.now < against);
  const value = UTM && signal.startsWith('utm_') ? s.utm[signal.slice(4) as 'source'] : s[signal as 'referrer'];
  // `suffix` is a plain string suffix; `domain` (compiled to `.name`) is the name or one of its subdomains.
  return (
    !!value &&
    (IS && test == 'is'
      ? against.includes(value)
      : PREFIX && test == 'prefix'
        ? value.startsWith(against)
        : SUFFIX && test == 'suffix'
          ? value.endsWith(against)
          : DOMAIN && ('.' + value).endsWith(against))
  );
}

/**
 * The manifest's route key for a request, or null when the request is not the router's:
 * not GET or HEAD, a variant file, or a path the manifest does not list. Reads only the
 * manifest's routes and prefix, so an unpersonalized URL costs one lookup (in a large site's
 * bundle, a search of its route table: packed.ts). Throws on a malformed percent-encoding.
 * `/a/index.html`, `/a.html`, `/a/` → `/a`.
 */
export function routeKey(method: string, path: string, manifest: AnyManifest): string | null {
  if (method != 'GET' && method != 'HEAD') return null;
  if (path.includes('%')) path = decodeURIComponent(path);
  path = path.endsWith('/index.html') ? path.slice(0, -11) : path.endsWith('.html') ? path.slice(0, -5) : path.endsWith('/') ? path.slice(0, -1) : path;
  path ||= '/';
  return findRoute(manifest.routes, path) && !path.startsWith(manifest.prefix) ? path : null;
}
