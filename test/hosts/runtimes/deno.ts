/**
 * (d) Deno running the generated Netlify edge function through
 * @netlify/edge-functions-dev's EdgeFunctionsHandler: Netlify's own bootstrap,
 * which reads the function's inline `config` (so the generated `path` list
 * decides which requests reach it), builds `context` (geo, next) and performs
 * `context.next()` against an origin. The origin plays Netlify's CDN as
 * `netlify-origin.ts` describes (Netlify's default headers, the site's
 * `_headers`, ETags; each behaviour with its source). Requests the handler
 * does not claim go straight to that origin, as on Netlify.
 *
 * Which requests reach the function is Netlify's own code: the handler reads
 * the function's inline `config` (`path`, `method`) through
 * @netlify/edge-bundler's manifest, as a deploy does.
 * Documented: https://docs.netlify.com/edge-functions/declarations/
 *
 * Differences from production, all in the harness: geolocation is set per
 * request on the handler (Netlify computes it from the client IP); HTTPS cases
 * rewrite the one header through which the local handler tells Deno the
 * protocol (it hardcodes `http:`; Netlify's edge is HTTPS).
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EdgeFunctionsHandler } from '@netlify/edge-functions-dev';
import type { PlantedRequest, Runtime, SiteName } from '../cases.ts';
import { buildOutputs, type BuiltOutputs } from './build-outputs.ts';
import { startNetlifyOrigin } from './netlify-origin.ts';
import { bundleWithGuard } from './bundle-with-guard.ts';

// The real binary's folder, not node_modules/.bin: there `deno` is a shim that starts Deno as a
// grandchild, which the handler's stop() cannot end.
const DENO_DIR = dirname(createRequire(import.meta.url).resolve('deno/package.json'));
let requestId = 0;

export interface DenoOptions {
  /** Serve these outputs (written by `astro build` or `buildOutputs`) instead of the conformance sites; the caller removes them. */
  readonly outputs?: BuiltOutputs;
}

export async function startDeno(options: DenoOptions = {}): Promise<Runtime> {
  // Netlify's tools download Deno unless one is on PATH; use the npm-installed one.
  if (!process.env.PATH?.split(':').includes(DENO_DIR)) process.env.PATH = `${DENO_DIR}:${process.env.PATH ?? ''}`;
  const outputs = options.outputs ?? (await buildOutputs(['netlify']));
  const origin = await startNetlifyOrigin(outputs.sites.main.dist);
  const originUrl = origin.url;

  const handlers = new Map<SiteName, EdgeFunctionsHandler>();
  for (const [site, { root }] of Object.entries(outputs.sites) as [SiteName, { root: string }][]) {
    const generated = join(root, '.netlify/v1/edge-functions/astro-segments.js');
    const directory = join(root, 'guarded-edge-functions');
    await mkdir(directory, { recursive: true });
    await bundleWithGuard('netlify', generated, join(directory, 'astro-segments.js'));
    handlers.set(
      site,
      new EdgeFunctionsHandler({
        configDeclarations: [],
        directories: [directory],
        env: {},
        geolocation: {} as never,
        logger: { log: () => {}, warn: () => {}, error: () => {} } as never,
      }),
    );
  }
  // Start Deno for each handler now (the first match does), not inside the first case.
  await Promise.all([...handlers.values()].map((h) => h.match(new Request(`${originUrl}/`, { headers: { 'x-nf-request-id': 'warmup' } }))));

  return {
    async fetch(p: PlantedRequest) {
      const url = new URL(p.url);
      const headers = new Headers(p.headers);
      headers.set('x-nf-request-id', `conformance-${++requestId}`);
      const request = new Request(`http://localhost:8888${url.pathname}${url.search}`, { method: p.method, headers, redirect: 'manual' });
      const handler = handlers.get(p.site)!;
      (handler as unknown as { geolocation: object }).geolocation = p.country ? { country: { code: p.country } } : {};
      const match = await handler.match(request);
      const response = match
        ? await handleAs(url.protocol, () => match.handle(request, originUrl))
        : await fetch(`${originUrl}${url.pathname}${url.search}`, request);
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
    async stop() {
      await Promise.all([...handlers.values()].map((h) => h.stop()));
      await origin.stop();
      if (!options.outputs) await outputs.remove();
    },
  };
}

/** Run `work` with the handler's request to Deno carrying the case's protocol. */
async function handleAs(protocol: string, work: () => Promise<Response>): Promise<Response> {
  if (protocol !== 'https:') return work();
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    if (init instanceof Request) init.headers.set('x-forwarded-proto', 'https:');
    return realFetch(input, init);
  }) as typeof fetch;
  try {
    return await work();
  } finally {
    globalThis.fetch = realFetch;
  }
}
