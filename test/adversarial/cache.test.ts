/**
 * A real shared cache in front of the router: Debian's nginx with proxy_cache
 * (see cache/nginx.ts: one entry per URL, any 200 stored unless its headers
 * forbid it) in front of the Node server (`createSegmentsServer`) serving the
 * example site built by real Astro. Visitors with different cookies, campaign
 * parameters, choices, crawlers and GPC take turns on the same URLs, in three
 * orders; every body must be the variant that visitor should get (read from
 * the `data-segments` label the build puts on every file), so nobody receives
 * another segment's page and the default page is never poisoned.
 *
 * The same sequence is then run with the router's caching headers taken away,
 * twice: a Node wrapper that strips Cache-Control from every response, and an
 * nginx that ignores Cache-Control. Those runs must leak (an asserted
 * outcome): the test can fail, and what keeps it passing is the router's
 * `Cache-Control: private`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSegmentsServer } from '../../packages/astro-segments/src/server/index.ts';
import { buildFixture, type BuiltFixture } from '../utils/fixture.ts';
import { startCachingProxy, type CachingProxy } from './cache/nginx.ts';

const EXAMPLE = new URL('../../examples/ledgerly/', import.meta.url).pathname;
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

interface Visitor {
  readonly name: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** The value each dimension of the route must have in the body's label. */
  readonly expect: Record<string, string>;
  /** Sees the standard page (all defaults). */
  readonly standard?: boolean;
}

const SESSION = { cookie: 'ledgerly_session=7f3a' };
const HOME_DEFAULT = { audience: 'prospect', campaign: 'none' };
const PRICING_DEFAULT = { audience: 'prospect', region: 'intl' };

/** Who comes to the two personalized pages of the example (the Node server has no geo: region is intl). */
const VISITORS: readonly Visitor[] = [
  { name: 'customer', path: '/', headers: SESSION, expect: { audience: 'customer', campaign: 'none' } },
  { name: 'anonymous', path: '/', expect: HOME_DEFAULT, standard: true },
  { name: 'chooses accountant', path: '/?segment=accountant', expect: { audience: 'accountant', campaign: 'none' } },
  { name: 'remembers accountant', path: '/', headers: { cookie: 'segment=audience:accountant' }, expect: { audience: 'accountant', campaign: 'none' } },
  { name: 'campaign', path: '/?utm_campaign=year-end-close', expect: { audience: 'prospect', campaign: 'yearend' } },
  { name: 'customer on the campaign URL', path: '/?utm_campaign=year-end-close', headers: SESSION, expect: { audience: 'customer', campaign: 'yearend' } },
  {
    name: 'from Product Hunt',
    path: '/',
    headers: { referer: 'https://www.producthunt.com/posts/ledgerly' },
    expect: { audience: 'prospect', campaign: 'producthunt' },
  },
  { name: 'crawler with a session', path: '/', headers: { 'user-agent': GOOGLEBOT, ...SESSION }, expect: HOME_DEFAULT, standard: true },
  { name: 'GPC with a session', path: '/', headers: { 'sec-gpc': '1', ...SESSION }, expect: HOME_DEFAULT, standard: true },
  { name: 'preview', path: '/?segment-preview=customer', expect: { audience: 'customer', campaign: 'none' } },
  { name: 'resets', path: '/?segment=reset', headers: { cookie: 'segment=audience:customer; ledgerly_session=7f3a' }, expect: HOME_DEFAULT, standard: true },
  { name: 'pricing: customer', path: '/pricing/', headers: SESSION, expect: { audience: 'customer', region: 'intl' } },
  { name: 'pricing: anonymous', path: '/pricing/', expect: PRICING_DEFAULT, standard: true },
  { name: 'pricing: chooses customer', path: '/pricing/?segment=customer', expect: { audience: 'customer', region: 'intl' } },
  {
    name: 'pricing: remembers customer',
    path: '/pricing/',
    headers: { cookie: 'segment=audience:customer' },
    expect: { audience: 'customer', region: 'intl' },
  },
  { name: 'pricing: accountant campaign', path: '/pricing/?utm_source=accountant-network', expect: { audience: 'accountant', region: 'intl' } },
  {
    name: 'pricing: crawler',
    path: '/pricing/',
    headers: { 'user-agent': GOOGLEBOT, cookie: 'segment=audience:customer' },
    expect: PRICING_DEFAULT,
    standard: true,
  },
];

/** Three orders, so each URL is first fetched by a different kind of visitor. */
const ORDERS: readonly (readonly Visitor[])[] = [VISITORS, [...VISITORS].reverse(), [...VISITORS.slice(5), ...VISITORS.slice(0, 5)]];

interface Served {
  readonly visitor: string;
  readonly path: string;
  readonly status: number;
  readonly label: string;
  readonly cache: string;
  readonly wrong: boolean;
}

/** `audience=prospect+accountant;region=intl` → dimension → values the file serves. */
function parseLabel(label: string): Map<string, Set<string>> {
  return new Map(label.split(';').map((part) => [part.split('=')[0]!, new Set(part.split('=')[1]!.split('+'))] as const));
}

async function visit(origin: string, visitor: Visitor): Promise<Served> {
  const response = await fetch(`${origin}${visitor.path}`, { headers: visitor.headers ?? {}, redirect: 'manual' });
  const body = await response.text();
  const label = /<html[^>]*\sdata-segments="([^"]*)"/.exec(body)?.[1] ?? '';
  const served = parseLabel(label);
  const wrong = response.status !== 200 || Object.entries(visitor.expect).some(([dimension, value]) => !served.get(dimension)?.has(value));
  return { visitor: visitor.name, path: visitor.path, status: response.status, label, cache: response.headers.get('x-cache') ?? '', wrong };
}

async function runSequence(origin: string): Promise<Served[]> {
  const served: Served[] = [];
  for (const order of ORDERS) for (const visitor of order) served.push(await visit(origin, visitor));
  return served;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** The same Node server with every Cache-Control header removed: the router without its caching contract. */
function withoutCacheControl(inner: Server): Server {
  const handle = inner.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  return createServer((req, res) => {
    const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, unknown>) => ServerResponse;
    res.writeHead = ((status: number, headers?: Record<string, unknown>) => {
      // Set with setHeader or passed to writeHead: either way it goes.
      res.removeHeader('cache-control');
      const { 'cache-control': _removed, 'Cache-Control': _also, ...rest } = headers ?? {};
      return writeHead(status, rest);
    }) as typeof res.writeHead;
    handle(req, res);
  });
}

let site: BuiltFixture;
const servers: Server[] = [];
const proxies: CachingProxy[] = [];

beforeAll(async () => {
  site = await buildFixture(EXAMPLE);
});
afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  for (const server of servers) await close(server);
  await site?.cleanup();
});

async function setup(mode: 'router' | 'stripped' | 'ignored'): Promise<CachingProxy> {
  const segments = createSegmentsServer({ dir: site.outDir });
  const server = mode === 'stripped' ? withoutCacheControl(segments) : segments;
  servers.push(server);
  const port = await listen(server);
  const proxy = await startCachingProxy({ upstream: `127.0.0.1:${port}`, ignoreCacheControl: mode === 'ignored' });
  proxies.push(proxy);
  return proxy;
}

describe('a shared cache (nginx proxy_cache) in front of the Node server', () => {
  it('never gives a visitor another segment’s page, and never poisons the default, with the router’s headers', async () => {
    const proxy = await setup('router');
    const served = await runSequence(proxy.origin);
    expect(
      served.filter((s) => s.wrong),
      await proxy.errors(),
    ).toEqual([]);
    // Nothing personalized was stored or served from the cache.
    expect(served.filter((s) => s.cache === 'HIT')).toEqual([]);
    expect(served).toHaveLength(VISITORS.length * ORDERS.length);
  });

  it('does cache what may be cached (control): a variant file is a HIT the second time', async () => {
    const proxy = await setup('router');
    const manifest = await site.manifest();
    const hash = Object.values(manifest.routes['/']!.variants)[0]!;
    const first = await fetch(`${proxy.origin}/_segments/${hash}.html`);
    await first.text();
    const second = await fetch(`${proxy.origin}/_segments/${hash}.html`);
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
    expect(await second.text()).toContain('data-segments=');
  });

  it.each([
    ['a Node server that strips Cache-Control', 'stripped'],
    ['an nginx that ignores Cache-Control', 'ignored'],
  ] as const)('leaks without the router’s headers (%s): the same check fails', async (_, mode) => {
    const proxy = await setup(mode);
    const served = await runSequence(proxy.origin);
    const leaks = served.filter((s) => s.wrong);
    process.stdout.write(
      `cache, ${mode}: ${leaks.length} of ${served.length} responses were another segment's page, e.g. ${leaks[0]?.visitor} got ${leaks[0]?.label}\n`,
    );
    // The check above catches it: visitors got other segments' pages from the cache...
    expect(leaks.length).toBeGreaterThan(0);
    expect(leaks.every((s) => s.cache === 'HIT')).toBe(true);
    // ...and the default was poisoned: someone who should see the standard page did not.
    expect(leaks.some((s) => VISITORS.find((v) => v.name === s.visitor)?.standard)).toBe(true);
  });
});
