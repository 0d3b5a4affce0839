import { MANIFEST_VERSION, type Manifest, type ManifestRoute, type Rule } from './manifest.ts';
import type { Decision, Signals } from './types.ts';
import { cookieValue } from './cookie.ts';

/**
 * Pick the variant for a request. Pure: the answer depends only on `signals`
 * and `manifest`. Returns null when the request is not ours to personalize
 * (pass it through untouched). Never throws: any internal error is null too.
 */
export function decide(signals: Signals, manifest: Manifest): Decision | null {
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
 * do not pay for a second guard.
 */
export function decideUnguarded(s: Signals, m: Manifest): Decision | null {
  const { routes, dimensions: dims, cookie } = m;
  // A corrupted manifest fails a check here (null) or makes a lookup below throw (the caller's guard: null too).
  const path = routeKey(s.method, s.path, m);
  if (!path || m.version !== MANIFEST_VERSION) return null;
  const route: ManifestRoute = routes[path]!;

  // Every declared pair by `dim:value`, and by bare `value` when only one dimension declares
  // it. Names are identifiers (checked at build), so a pair is safe in a header or cookie.
  // Built only for a request that names values (a choice, a preview, a remembered choice).
  let known: Map<string, readonly [string, string] | undefined> | undefined;
  // Dimension → value; per dimension the first valid item wins, unknown items are ignored.
  const resolve = (items: readonly string[]) => {
    const into = new Map<string, string>();
    for (const item of items) {
      if (!known) {
        known = new Map();
        for (const { name, values } of dims)
          for (const { name: v } of values) {
            known.set(name + ':' + v, [name, v]);
            known.set(v, known.has(v) ? undefined : [name, v]);
          }
      }
      const pair = known.get(item);
      if (pair && !into.has(pair[0])) into.set(...pair);
    }
    return into;
  };
  // Query items: comma lists, trimmed. An item with anything non-ASCII (even Unicode spaces,
  // which trim would remove) is dropped before lowercasing, so a look-alike (the Kelvin sign
  // lowercases to "k") can never reach a declared name.
  const items = (values: readonly string[]) =>
    values.flatMap((v) => v.split(',').flatMap((i) => (/[^ -~]/.test(i) ? [] : [i.trim().toLowerCase()])));
  const preview = resolve(items(s.preview));
  const choice = items(s.choice);
  const reset = choice.includes('reset');
  const chosen = resolve(reset ? [] : choice);
  const cookieName = (s.secure ? '__Host-' : '') + cookie.name;
  // Our own cookie holds only `dim:value` entries. Listed after the query's items, a new
  // choice wins per dimension, so this map is also the merged value to store. Reset ignores it.
  const stored = (cookieValue(s.cookie, cookieName) ?? '').split('|').filter((e) => e.includes(':'));
  const remembered = resolve(reset ? [] : [...choice, ...stored]);

  const values: Record<string, string> = {};
  const why: string[] = [];
  for (const name of route.dims) {
    const d = dims.find((x) => x.name === name);
    if (!d?.values.some((x) => x.name === d.default)) return null;
    // Precedence: bot policy > preview > reset > choice > cookie > GPC/DNT policy > rules > default.
    let v: string | undefined;
    let reason = 'default';
    if (s.bot) reason = 'bot';
    else if ((v = preview.get(name))) reason = 'preview';
    else if (reset) reason = 'reset';
    else if ((v = remembered.get(name))) reason = chosen.has(name) ? 'choice' : 'cookie';
    // The holdout's control group comes through here too, as DNT (holdout.ts; it renames the reason).
    else if (s.gpc || s.dnt) reason = s.gpc ? 'gpc' : 'dnt';
    else
      for (const x of d.values) {
        const n = x.rules.findIndex((r) => matches(r, s));
        if (n >= 0) {
          (v = x.name), (reason = 'rule ' + (n + 1));
          break;
        }
      }
    values[name] = v ??= d.default;
    why.push(`${name}=${v} (${reason})`);
  }

  // Only an explicit choice writes the cookie (it is never renewed otherwise), and bots never
  // get one. GPC/DNT do not block it: the visitor asked to be remembered, and the value is
  // their own declared choice, not an inference. Entries follow the manifest's dimension order.
  let setCookie: string | undefined;
  if (!s.bot && (reset || chosen.size)) {
    const value = dims.flatMap(({ name }) => (remembered.has(name) ? [name + ':' + remembered.get(name)] : []));
    setCookie = `${cookieName}=${value.join('|')}; Path=/; Max-Age=${reset ? 0 : ~~cookie.maxAge}; HttpOnly; SameSite=Lax${s.secure ? '; Secure' : ''}`;
  }

  const key = route.dims.map((d) => values[d]).join('/');
  const hash = Object.hasOwn(route.variants, key) && route.variants[key];
  const headers: Record<string, string> = { 'Cache-Control': 'private, no-' + (setCookie ? 'store' : 'cache') };
  if (m.debug) headers['X-Segments'] = why.join('; ');
  return {
    route: path,
    values,
    path: /^[a-z0-9]{6,64}$/.test(hash as string) ? m.prefix + hash + '.html' : null,
    headers,
    setCookie,
  };
}

/**
 * A rule matches when every field matches (AND). Signal matchers never match an empty
 * signal, so a missing value cannot satisfy `prefix: ''`; a field this router does not
 * know (say `continent`, which the integration compiles to `country`) reads as empty.
 */
function matches(rule: Rule, s: Signals): boolean {
  return (Object.entries(rule) as [string, any][]).every(([k, x]) => {
    if (k == 'cookie') return cookieValue(s.cookie, x) != undefined;
    if (k == 'from') return s.now >= x;
    if (k == 'until') return s.now < x;
    const v = k.startsWith('utm_') ? s.utm[k.slice(4) as 'source'] : k == 'referrer' || k == 'country' || k == 'language' ? s[k] : '';
    // `is` must be an array: a string would turn `includes` into a substring test. `suffix` is a
    // plain string suffix; `domain` is the name or one of its subdomains.
    return !!v && ('is' in x ? Array.isArray(x.is) && x.is.includes(v) : 'prefix' in x ? v.startsWith(x.prefix) : 'suffix' in x ? v.endsWith(x.suffix) : 'domain' in x && ('.' + v).endsWith('.' + x.domain));
  });
}

/**
 * The manifest's route key for a request, or null when the request is not the router's:
 * not GET or HEAD, a variant file, or a path the manifest does not list. Reads only the
 * manifest's prefix and routes, so an unpersonalized URL costs one lookup. Throws on a
 * malformed percent-encoding. `/a/index.html`, `/a.html`, `/a/` → `/a`.
 */
export function routeKey(method: string, path: string, m: Manifest): string | null {
  path = decodeURIComponent(path).replace(/(\/index)?\.html$|\/$/, '') || '/';
  return !/^(GET|HEAD)$/.test(method) || path.startsWith(m.prefix) || !Object.hasOwn(m.routes, path) ? null : path;
}
