/**
 * `astro-segments check <url>`: read the manifest from a deployment and send
 * the requests that matter for each personalized route, judging each answer
 * against what the router promises (probes.ts, judge.ts). Only GET and HEAD,
 * only to the deployment's own origin; nothing is stored.
 */
import type { Manifest } from '@astro-segments/edge';
import { judge, judgeConditional, judgeManifest, judgeVariantFile, type Answer, type Files, type Problem } from './judge.ts';
import { CRAWLER, probesFor, promisesFor, type Probe } from './probes.ts';

export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; redirect: 'manual' }) => Promise<Response>;

export interface CheckResult {
  /** The route (`/pricing`), or `site` for checks of the whole deployment. */
  readonly scope: string;
  readonly title: string;
  readonly problems: readonly Problem[];
}

export interface CheckOptions {
  /** The manifest's path on the deployment. @default '/_segments/manifest.json' */
  readonly manifest?: string;
  /** How requests are sent (tests pass a harness); the global fetch by default. */
  readonly fetch?: Fetch;
}

/** The manifest could not be read: nothing else can be checked. */
export class ManifestUnavailable extends Error {}

export async function checkDeployment(base: string, options: CheckOptions = {}): Promise<{ manifest: Manifest; results: CheckResult[] }> {
  const origin = new URL(base).origin;
  const send: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const get = async (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer & { location: string | null }> => {
    const response = await send(new URL(path, origin).href, { method, headers, redirect: 'manual' });
    return {
      status: response.status,
      headers: response.headers,
      body: method === 'HEAD' ? '' : await response.text(),
      location: response.headers.get('location'),
    };
  };
  /** Follow same-origin redirects, as a browser would (Cloudflare serves `x.html` at `x`). */
  const follow = async (path: string, headers: Record<string, string> = {}) => {
    let answer = await get(path, headers);
    for (let hops = 0; hops < 3 && answer.status >= 300 && answer.status < 400 && answer.location; hops++) {
      const next = new URL(answer.location, new URL(path, origin));
      if (next.origin !== origin) break;
      answer = await get(next.pathname + next.search, headers);
    }
    return answer;
  };

  const manifestPath = options.manifest ?? '/_segments/manifest.json';
  const manifestAnswer = await get(manifestPath).catch((error: Error) => {
    throw new ManifestUnavailable(`cannot reach ${new URL(manifestPath, origin).href}: ${error.message}`);
  });
  let manifest: Manifest;
  try {
    if (manifestAnswer.status !== 200) throw new Error(`answered ${manifestAnswer.status}`);
    manifest = JSON.parse(manifestAnswer.body) as Manifest;
    if (manifest.version !== 1 || typeof manifest.routes !== 'object' || !Array.isArray(manifest.dimensions)) throw new Error('not a version 1 manifest');
  } catch (error) {
    throw new ManifestUnavailable(`cannot read the manifest at ${new URL(manifestPath, origin).href}: ${(error as Error).message}`);
  }

  const secure = new URL(base).protocol === 'https:';
  const cookieNames = [`${secure ? '__Host-' : ''}${manifest.cookie.name}`, ...(manifest.holdout ? [manifest.holdout.cookie] : [])];
  const results: CheckResult[] = [{ scope: 'site', title: `${manifestPath} is revalidated, never immutable`, problems: judgeManifest(manifestAnswer) }];

  // Every variant file, requested directly.
  const variants = new Map<string, string>();
  const paths = [...new Set(Object.values(manifest.routes).flatMap((entry) => Object.values(entry.variants)))]
    .sort()
    .map((hash) => `${manifest.prefix}${hash}.html`);
  for (const path of paths) {
    const answer = await follow(path);
    variants.set(path, answer.body);
    results.push({ scope: 'site', title: `variant file ${path}: immutable, noindex, canonical`, problems: judgeVariantFile(answer, cookieNames) });
  }

  for (const route of Object.keys(manifest.routes).sort()) {
    const path = await publicPath(route, get);
    const crawler = await get(path, { 'user-agent': CRAWLER });
    const files: Files = { publicBody: crawler.body, variants };
    const check = async (probe: Probe, title = probe.label) => {
      const answer = await get(probe.path, { ...probe.headers }, probe.method);
      const promises = await promisesFor(manifest, route, probe, origin);
      results.push({ scope: route, title, problems: judge(answer, promises, probe.method, cookieNames, files) });
      return answer;
    };

    const probes = probesFor(manifest, route, path, secure);
    for (const probe of probes) await check(probe);

    // Another visitor's validator: a remembered variant's ETag sent with a plain visit.
    const remembered = probes.find((probe) => probe.label.startsWith('remembered choice'));
    const plain = probes[0]!;
    if (remembered) {
      const first = await get(remembered.path, { ...remembered.headers });
      const etag = first.headers.get('etag');
      const lastModified = first.headers.get('last-modified');
      if (etag || lastModified) {
        const conditional: Probe = {
          ...plain,
          label: 'plain visit with the validator of a remembered choice',
          headers: { ...(etag ? { 'if-none-match': etag } : {}), ...(lastModified ? { 'if-modified-since': lastModified } : {}) },
        };
        const answer = await get(conditional.path, { ...conditional.headers });
        const problems = judgeConditional(answer);
        results.push({
          scope: route,
          title: conditional.label,
          problems: problems.length > 0 ? problems : judge(answer, await promisesFor(manifest, route, plain, origin), 'GET', cookieNames, files),
        });
      }
      // Visitors taking turns on the same URLs: a cache keyed by URL alone hands one's page to the other.
      const chooser = probes.find((probe) => probe.label === remembered.label.replace('remembered ', ''));
      const turns = [plain, remembered, plain, remembered, ...(chooser ? [chooser, chooser, plain] : [])];
      for (const [index, probe] of turns.entries()) await check(probe, `turn ${index + 1} of ${turns.length} on one URL: ${probe.label}`);
    }
    results.push({
      scope: route,
      title: 'a crawler gets the public file',
      problems:
        crawler.status === 200 && !/<meta name="robots" content="noindex">/.test(crawler.body) && ![...variants.values()].includes(crawler.body)
          ? []
          : [
              {
                what: `a crawler got ${crawler.status === 200 ? 'a variant file' : `a ${crawler.status}`} at ${path}`,
                fix: 'Search engines must get the standard page: check that the router runs for this URL and that no cache in front of the host stores personalized answers.',
              },
            ],
    });
  }
  return { manifest, results };
}

/** The URL the deployment serves a route's page at: `/x/`, or `/x` when that is where `/x/` redirects. */
async function publicPath(
  route: string,
  get: (path: string, headers?: Record<string, string>) => Promise<Answer & { location: string | null }>,
): Promise<string> {
  if (route === '/') return '/';
  const slash = await get(`${route}/`, { 'user-agent': CRAWLER });
  if (slash.status >= 300 && slash.status < 400 && slash.location) return new URL(slash.location, 'http://x.invalid').pathname;
  if (slash.status === 404) return route;
  return `${route}/`;
}
