/**
 * The requests that matter for one personalized route, and what the router
 * promises for each: computed by the router itself (`serve()` with a host that
 * names the file it is asked for), for every country the site's rules
 * mention, since the deployment's geo for the machine running the check is
 * unknown.
 */
import { holdout, serve, type Manifest, type Rule } from '@astro-segments/edge';

/** A real crawler's user agent: the router must serve it every default. */
export const CRAWLER = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
/** The body the check's host gives the router for the public URL's own file. */
export const PUBLIC_FILE = 'public';

export interface Probe {
  /** What a reader sees in the report: `choice audience:customer`. */
  readonly label: string;
  /** Path and query, from the site root. */
  readonly path: string;
  readonly method: 'GET' | 'HEAD';
  readonly headers: Readonly<Record<string, string>>;
}

/** What the router answers a probe with, on some platform country. */
export interface Promised {
  /** `public` or the variant file's path (for HEAD too: the check compares no body there). */
  readonly file: string;
  readonly cacheControl: string | null;
  /** The router's own Set-Cookie values. */
  readonly setCookie: readonly string[];
}

export interface PlannedProbe extends Probe {
  /** Every answer the router could give, one per possible country (duplicates removed). */
  readonly promises: readonly Promised[];
  /** Whether this probe is an explicit choice (the only requests that may set the cookie). */
  readonly choice: boolean;
}

/** Countries a route's rules can tell apart, plus "none of them". */
function countries(manifest: Manifest, dims: readonly string[]): string[] {
  const found = new Set<string>(['']);
  for (const dimension of manifest.dimensions) {
    if (!dims.includes(dimension.name)) continue;
    for (const value of dimension.values)
      for (const rule of value.rules) if (rule.country && 'is' in rule.country) for (const c of rule.country.is) found.add(c);
  }
  return [...found];
}

/** Query and headers that satisfy a rule as far as a request can (geo and dates aside). */
function satisfy(rule: Rule): { query: Record<string, string>; headers: Record<string, string> } | undefined {
  if (rule.from !== undefined || rule.until !== undefined) return undefined;
  const text = (matcher: NonNullable<Rule['referrer']>) =>
    'is' in matcher ? matcher.is[0]! : 'prefix' in matcher ? `${matcher.prefix}x` : 'suffix' in matcher ? `x${matcher.suffix}` : `www.${matcher.domain}`;
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const key of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const) if (rule[key]) query[key] = text(rule[key]);
  if (rule.referrer) headers.referer = `https://${text(rule.referrer).replace(/^\./, '')}/`;
  if (rule.language) headers['accept-language'] = text(rule.language);
  if (rule.cookie) headers.cookie = `${rule.cookie}=1`;
  return Object.keys(query).length + Object.keys(headers).length > 0 ? { query, headers } : undefined;
}

const withQuery = (path: string, query: Record<string, string>) => {
  const search = new URLSearchParams(query).toString();
  return search ? `${path}${path.includes('?') ? '&' : '?'}${search}` : path;
};

/** The probes for one route at its public URL `path` (as the deployment serves it). */
export function probesFor(manifest: Manifest, route: string, path: string, secure: boolean): Probe[] {
  const entry = manifest.routes[route]!;
  const cookie = `${secure ? '__Host-' : ''}${manifest.cookie.name}`;
  const probes: Probe[] = [
    { label: 'plain visit', path, method: 'GET', headers: {} },
    { label: 'plain visit (HEAD)', path, method: 'HEAD', headers: {} },
  ];
  for (const dimension of manifest.dimensions.filter((d) => entry.dims.includes(d.name))) {
    for (const value of dimension.values) {
      const choice = `${dimension.name}:${value.name}`;
      probes.push({ label: `choice ${choice}`, path: withQuery(path, { [manifest.param]: choice }), method: 'GET', headers: {} });
      if (value.name !== dimension.default)
        probes.push({ label: `remembered choice ${choice}`, path, method: 'GET', headers: { cookie: `${cookie}=${choice}` } });
      for (const [index, rule] of value.rules.entries()) {
        const request = satisfy(rule);
        if (!request) continue;
        probes.push({ label: `rule ${index + 1} of ${choice}`, path: withQuery(path, request.query), method: 'GET', headers: request.headers });
        probes.push({
          label: `rule ${index + 1} of ${choice} with Global Privacy Control`,
          path: withQuery(path, request.query),
          method: 'GET',
          headers: { ...request.headers, 'sec-gpc': '1' },
        });
      }
    }
  }
  // A reset clears a remembered choice; a crawler that carries one still gets every default.
  const remembered = probes.find((probe) => probe.label.startsWith('remembered choice'))?.headers ?? {};
  probes.push({ label: 'reset', path: withQuery(path, { [manifest.param]: 'reset' }), method: 'GET', headers: remembered });
  probes.push({ label: 'crawler', path, method: 'GET', headers: { 'user-agent': CRAWLER, ...remembered } });
  return probes;
}

/** What the router itself answers `probe` with, for each country the rules tell apart. */
export async function promisesFor(manifest: Manifest, route: string, probe: Probe, origin: string): Promise<Promised[]> {
  const seen = new Map<string, Promised>();
  for (const country of countries(manifest, manifest.routes[route]!.dims)) {
    const request = new Request(new URL(probe.path, origin), { method: probe.method, headers: probe.headers });
    const answer = await serve(
      request,
      manifest,
      { country },
      {
        asset: async (path) => new Response(path),
        next: async () => new Response(PUBLIC_FILE),
      },
      manifest.holdout ? holdout() : undefined,
    );
    const promise: Promised = {
      file: await answer.text(),
      cacheControl: answer.headers.get('cache-control'),
      setCookie: answer.headers.getSetCookie(),
    };
    seen.set(JSON.stringify(promise), promise);
  }
  return [...seen.values()];
}
