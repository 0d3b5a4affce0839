/**
 * (e) Vercel's edge runtime (`edge-runtime`, the VM Vercel ships for edge
 * functions) running the generated routing middleware
 * (`.vercel/output/functions/_astro-segments.func/index.mjs`, bundled to a
 * script with the privacy guard, since the runtime evaluates scripts).
 *
 * Middleware answers with a rewrite, not a body, so the harness plays the part
 * of Vercel's proxy, from the generated `.vercel/output/config.json`:
 * - it sets `x-vercel-ip-country` from the platform's geo and drops any value
 *   the client sent (Vercel overwrites it);
 * - it invokes the middleware only when the generated route `src` matches;
 * - `x-middleware-rewrite` serves that file from `.vercel/output/static`,
 *   `x-middleware-next` the requested path; the middleware's other headers
 *   are applied to that response (Set-Cookie appended, others replacing), the
 *   documented behaviour of `@vercel/functions`' `rewrite()`/`next()` headers.
 * The raw middleware responses are checked too (see conformance.vercel.test.ts).
 */
import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { EdgeRuntime } from 'edge-runtime';
import { staticResponse, type StaticSite } from '../../../packages/astro-segments/src/server/static-files.ts';
import type { PlantedRequest, Runtime, SiteName } from '../cases.ts';
import { buildOutputs } from './build-outputs.ts';
import { bundleWithGuard } from './bundle-with-guard.ts';

export interface VercelRuntime extends Runtime {
  /** The middleware's own response, before the proxy acts on it (undefined: route not matched). */
  middleware(p: PlantedRequest): Promise<Response | undefined>;
  /** The generated config.json of the main site. */
  readonly config: { version: number; routes: Record<string, unknown>[] };
}

interface Instance {
  runtime: EdgeRuntime;
  src: RegExp;
  site: StaticSite;
}

export async function startVercel(): Promise<VercelRuntime> {
  const outputs = await buildOutputs(['vercel']);
  const instances = new Map<SiteName, Instance>();
  let mainConfig!: VercelRuntime['config'];
  for (const [site, { root }] of Object.entries(outputs.sites) as [SiteName, { root: string }][]) {
    const output = join(root, '.vercel/output');
    const config = JSON.parse(await readFile(join(output, 'config.json'), 'utf8')) as VercelRuntime['config'];
    if (site === 'main') mainConfig = config;
    const route = config.routes.find((r) => r.middlewarePath === '_astro-segments') as { src: string };
    const fn = join(output, 'functions/_astro-segments.func');
    const vc = JSON.parse(await readFile(join(fn, '.vc-config.json'), 'utf8')) as { entrypoint: string };
    const script = join(root, 'guarded-middleware.js');
    await bundleWithGuard('vercel', join(fn, vc.entrypoint), script);
    instances.set(site, {
      runtime: new EdgeRuntime({ initialCode: await readFile(script, 'utf8') }),
      src: new RegExp(route.src),
      site: { root: realpathSync(join(output, 'static')), base: '/', prefix: '/_segments/' },
    });
  }

  const middleware = async (p: PlantedRequest): Promise<Response | undefined> => {
    const instance = instances.get(p.site)!;
    const url = new URL(p.url);
    if (!instance.src.test(url.pathname)) return undefined;
    const headers = new Headers(p.headers);
    headers.delete('x-vercel-ip-country');
    if (p.country) headers.set('x-vercel-ip-country', p.country);
    return (await instance.runtime.dispatchFetch(p.url, { method: p.method, headers })) as unknown as Response;
  };

  return {
    config: mainConfig,
    middleware,
    async fetch(p: PlantedRequest) {
      const instance = instances.get(p.site)!;
      const url = new URL(p.url);
      const mw = await middleware(p);
      if (mw && mw.status === 599) return { status: 599, headers: mw.headers, body: await mw.text() };
      const rewrite = mw?.headers.get('x-middleware-rewrite');
      const target = rewrite ? new URL(rewrite) : url;
      if (target.origin !== url.origin) throw new Error(`rewrite to another origin: ${rewrite}`);
      const file = await staticResponse(instance.site, p.method, target.pathname);
      const response = new Response(file.body, file);
      mw?.headers.forEach((value, name) => {
        if (name.startsWith('x-middleware-') || name === 'set-cookie') return;
        response.headers.set(name, value);
      });
      for (const value of mw?.headers.getSetCookie() ?? []) response.headers.append('set-cookie', value);
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
    async stop() {
      // EdgeRuntime is an in-process VM context: nothing to stop.
      await outputs.remove();
    },
  };
}
