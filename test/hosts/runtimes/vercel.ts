/**
 * (e) Vercel's edge runtime (`edge-runtime`, the VM Vercel ships for edge
 * functions) running the generated routing middleware
 * (`.vercel/output/functions/_astro-segments.func/index.mjs`, bundled to a
 * script with the privacy guard, since the runtime evaluates scripts).
 *
 * Middleware answers with a rewrite, not a body, so the harness plays Vercel's
 * proxy with the generated `.vercel/output/config.json`, route by route, as
 * `vercel-routing.ts` describes (each behaviour there names its source, and
 * which are assumptions). In addition:
 * - the proxy sets `x-vercel-ip-country` from the platform's geo and drops any
 *   value the client sent. Documented:
 *   https://vercel.com/docs/headers/request-headers#x-vercel-ip-country
 * The raw middleware responses are checked too (see conformance.vercel.test.ts).
 */
import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { EdgeRuntime } from 'edge-runtime';
import type { PlantedRequest, Runtime, SiteName } from '../cases.ts';
import { buildOutputs, type BuiltOutputs } from './build-outputs.ts';
import { bundleWithGuard } from './bundle-with-guard.ts';
import { routeVercel, type VercelConfig, type VercelDeployment } from './vercel-routing.ts';

export interface VercelRuntime extends Runtime {
  /** The middleware's own response, before the proxy acts on it (undefined: route not matched). */
  middleware(p: PlantedRequest): Promise<Response | undefined>;
  /** The generated config.json of the main site. */
  readonly config: { version: number; routes: Record<string, unknown>[] };
}

interface Instance {
  runtime: EdgeRuntime;
  config: VercelConfig;
  deployment: VercelDeployment;
}

export interface VercelOptions {
  /** Serve these outputs (written by `astro build` or `buildOutputs`) instead of the conformance sites; the caller removes them. */
  readonly outputs?: BuiltOutputs;
  /** Change each site's config.json before serving it (to show what a wrong one does). */
  readonly config?: (config: VercelConfig) => VercelConfig;
}

/** The request the proxy hands to the middleware: Vercel's own geo header, never the client's. */
function proxied(p: PlantedRequest): Request {
  const headers = new Headers(p.headers);
  headers.delete('x-vercel-ip-country');
  if (p.country) headers.set('x-vercel-ip-country', p.country);
  return new Request(p.url, { method: p.method, headers });
}

export async function startVercel(options: VercelOptions = {}): Promise<VercelRuntime> {
  const outputs = options.outputs ?? (await buildOutputs(['vercel']));
  const instances = new Map<SiteName, Instance>();
  let mainConfig!: VercelRuntime['config'];
  for (const [site, { root }] of Object.entries(outputs.sites) as [SiteName, { root: string }][]) {
    const output = join(root, '.vercel/output');
    const written = JSON.parse(await readFile(join(output, 'config.json'), 'utf8')) as VercelRuntime['config'];
    if (site === 'main') mainConfig = written;
    const fn = join(output, 'functions/_astro-segments.func');
    const vc = JSON.parse(await readFile(join(fn, '.vc-config.json'), 'utf8')) as { entrypoint: string };
    const script = join(root, 'guarded-middleware.js');
    await bundleWithGuard('vercel', join(fn, vc.entrypoint), script);
    const runtime = new EdgeRuntime({ initialCode: await readFile(script, 'utf8') });
    instances.set(site, {
      runtime,
      config: options.config ? options.config(written) : written,
      deployment: {
        static: { root: realpathSync(join(output, 'static')), base: '/', prefix: '/_segments/' },
        middleware: async (name, request) => {
          if (name !== '_astro-segments') throw new Error(`config.json names a middleware this harness did not load: ${name}`);
          return (await runtime.dispatchFetch(request.url, { method: request.method, headers: request.headers })) as unknown as Response;
        },
      },
    });
  }

  const middleware = async (p: PlantedRequest): Promise<Response | undefined> => {
    const instance = instances.get(p.site)!;
    const route = instance.config.routes?.find((r) => r.middlewarePath === '_astro-segments') as { src: string } | undefined;
    if (!route || !new RegExp(route.src, 'i').test(new URL(p.url).pathname)) return undefined;
    return instance.deployment.middleware('_astro-segments', proxied(p));
  };

  return {
    config: mainConfig,
    middleware,
    async fetch(p: PlantedRequest) {
      const instance = instances.get(p.site)!;
      const response = await routeVercel(instance.config, proxied(p), instance.deployment);
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
    async stop() {
      // EdgeRuntime is an in-process VM context: nothing to stop.
      if (!options.outputs) await outputs.remove();
    },
  };
}
