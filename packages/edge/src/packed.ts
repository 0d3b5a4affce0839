/**
 * A large site's routes packed for its host bundle: one string, the route table,
 * read where it lies. A request looks its path up by binary search over the
 * table's characters; a route it finds is unpacked once and kept.
 *
 * Why one string. A Worker pays for its whole manifest at every cold start, and
 * a request needs one route. Written as objects, 2,000 routes cost V8 11–12 ms of
 * `JSON.parse`; each route as a short string in the parsed JSON, 0.6 ms and half the
 * bytes, but `JSON.parse` still built an object of 2,000 keys, ~2 ms of the ~7 ms
 * the manifest added to a Worker's start (a `Map` built from a list on the first
 * request costs as much). One string literal is only scanned, never parsed into
 * anything: the module starts without knowing its routes (bench/build/cold-start.ts
 * on the 10,001-page bench site: +4.9 instead of +6.9 ms at import), and a lookup
 * costs a dozen comparisons: a URL that is not personalized, ~0.3 µs a decision
 * instead of ~0.1 µs (bench/route-table.ts).
 *
 * The table: each route's key, U+001F, its packed route, U+001E, sorted by key in
 * UTF-16 code units (`Array#sort`, and `charCodeAt` below). ASCII's unit and record
 * separators: no packed route holds them, a key may not (`packRoutes` refuses it,
 * and the build says so), and esbuild writes them as single bytes in a plain string
 * literal, which V8 scans faster than a template literal (what a newline would give).
 * The table lies in `routes` under the key `''`, which no route has (every key starts
 * with `/`, see routeKey); the routes found are kept beside it, under their keys.
 *
 * A packed route: the route's dimension positions joined by `.`, a `;`, then, joined
 * by `,`, one entry per combination from number 0 to the last with a file: empty for
 * a combination without one, `^` and a number for one that shares the file of that
 * earlier combination, or the file's name. A name of twelve base-36 characters (what
 * the integration writes) is written as ten characters of `NAME_DIGITS`, any other as
 * `!` and itself. `{ dims: [0, 1], files: { 0: 'a1', 3: 'b2', 6: 'b2' } }` is
 * `0.1;!a1,,,!b2,,,^3`. The names are most of a large site's table, and V8 scans the
 * table at every start: this form is a fifth shorter than writing each combination's
 * number and each name as it is, and imports in about 1 ms less at 2,000 routes. No
 * separator can occur inside an entry: names are checked (compile.ts) and the digits
 * leave them out. A route that did not compile (null) is empty.
 *
 * Every reader of a manifest's routes goes through `findRoute`. A small site's
 * bundle packs nothing and gets `unused.ts`'s `findRoute` instead: one own-key lookup.
 */
import type { CompiledManifest, CompiledRoute } from './compile.ts';
import type { AnyManifest } from './types.ts';

/** The route table described above. */
export type RouteTable = string;

/** Where `routes` holds the table: a key no route has. */
const TABLE = '';
const UNIT = '\x1f';
const RECORD = '\x1e';
const UNIT_CODE = 0x1f;

/** Whether a route key can be listed in a table: it holds neither separator. */
export const packable = (key: string): boolean => !key.includes(UNIT) && !key.includes(RECORD);

/** `compiled` with its routes in one table. Throws on a key `packable` refuses (the build checks first and says why). */
export function packRoutes(compiled: CompiledManifest): CompiledManifest<RouteTable> {
  let table = '';
  for (const key of Object.keys(compiled.routes).sort()) {
    if (!packable(key)) throw new TypeError(`@astro-segments/edge: the route ${JSON.stringify(key)} holds U+001E or U+001F and cannot be packed`);
    const route = compiled.routes[key];
    table += key + UNIT + (route && typeof route != 'string' ? packRoute(route) : '') + RECORD;
  }
  return { ...compiled, routes: { [TABLE]: table } };
}

/**
 * Printable ASCII but the quotes, the backslash (a string literal would escape them) and
 * the table's own `;`, `,`, `^` and `!`: 86 characters, of which ten hold any of the
 * 36^12 names (86^10 is more).
 */
const NAME_DIGITS = '#$%&()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz{|}~';
const BASE = 86n;
const NAME = /^[0-9a-z]{12}$/;

function packRoute({ dims, files }: CompiledRoute): string {
  const entries: string[] = [];
  // A file several combinations share (a variant that looks the same for two audiences) is written once.
  const first = new Map<string, number>();
  const last = Math.max(-1, ...Object.keys(files).map(Number));
  for (let number = 0; number <= last; number++) {
    const name = files[number];
    const earlier = name === undefined ? undefined : first.get(name);
    if (name !== undefined && earlier === undefined) first.set(name, number);
    entries.push(name === undefined ? '' : earlier !== undefined ? `^${earlier}` : NAME.test(name) ? shortName(name) : `!${name}`);
  }
  return `${dims.join('.')};${entries.join(',')}`;
}

function shortName(name: string): string {
  let value = 0n;
  for (const digit of name) value = value * 36n + BigInt(Number.parseInt(digit, 36));
  let short = '';
  for (let i = 0; i < 10; i++, value /= BASE) short = NAME_DIGITS[Number(value % BASE)] + short;
  return short;
}

/**
 * The route at `key`, or false when `key` is not one: a route of the object as it is,
 * or one found in its table, unpacked and kept under its key, so each page is unpacked
 * once per Worker, on its first request. A route that did not compile is null (the
 * router passes it through). A path that is not a route (an unpersonalized URL) is
 * searched each time and never kept, so requests cannot grow the object.
 */
export function findRoute<Routes extends AnyManifest['routes']>(routes: Routes, key: string): Exclude<Routes[string], RouteTable> | CompiledRoute | false {
  if (Object.hasOwn(routes, key)) return routes[key] as Exclude<Routes[string], RouteTable>;
  const table = routes[TABLE];
  const packed = typeof table == 'string' ? listed(table, key) : undefined;
  if (packed === undefined) return false;
  const route = packed ? unpack(packed) : null;
  // Only a host bundle's own manifest holds a table: the object is the bundle's, never a caller's.
  (routes as Record<string, unknown>)[key] = route;
  return route as CompiledRoute;
}

/**
 * The packed route listed under `key`, by binary search over the table's characters:
 * `low` is always the start of an entry and `high` the separator that ends one. Each
 * probe takes the first entry after the middle (or the range's first, when the middle
 * falls in its last) and compares `key` with the key there in place, character by
 * character, without copying either. Forward, because `indexOf` is about twice as fast
 * as `lastIndexOf` in V8 (bench/route-table.ts). Every probe narrows the range, whatever
 * the string: a table that is not one (a caller's corrupt manifest) ends the search too.
 */
function listed(table: RouteTable, key: string): string | undefined {
  let low = 0;
  let high = table.length - 1;
  while (low < high) {
    let start = table.indexOf(RECORD, (low + high) >> 1) + 1 || low;
    if (start >= high) start = low;
    let at = 0;
    let code: number;
    // Past the listed key's last character stands its UNIT, which no character of `key` passes.
    while ((code = table.charCodeAt(start + at)) != UNIT_CODE && code == key.charCodeAt(at)) at++;
    // Equal so far: `key` ends here (before the listed key, or it), or the listed key does (`key` after it).
    if (at == key.length && code == UNIT_CODE) return table.slice(start + at + 1, table.indexOf(RECORD, start + at));
    if (at == key.length || (code != UNIT_CODE && key.charCodeAt(at) < code)) high = start - 1;
    else low = table.indexOf(RECORD, start + at) + 1 || high;
  }
  return undefined;
}

function unpack(packed: string): CompiledRoute {
  const [dims, entries] = packed.split(';');
  const files: Record<number, string> = {};
  (entries ?? '').split(',').forEach((entry, number) => {
    if (entry) files[number] = entry[0] == '^' ? files[+entry.slice(1)]! : entry[0] == '!' ? entry.slice(1) : longName(entry);
  });
  return { dims: dims!.split('.').map(Number), files };
}

/** The twelve base-36 characters `shortName` wrote as ten of `NAME_DIGITS`. */
function longName(short: string): string {
  let value = 0n;
  for (const digit of short) value = value * BASE + BigInt(NAME_DIGITS.indexOf(digit));
  return value.toString(36).padStart(12, '0');
}
