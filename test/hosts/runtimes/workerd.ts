/**
 * (c) workerd through the Miniflare 4 API: the generated Cloudflare Worker
 * (`dist/_astro-segments/worker.js`, wrapped by the privacy guard) with the
 * site as static assets, configured from the generated `wrangler.json` the way
 * wrangler translates it. Miniflare runs Cloudflare's own asset and router
 * Workers (workers-shared) in workerd, so the static layer below is Cloudflare's
 * code, not the harness's. Where each behaviour comes from:
 * - `assets.run_worker_first: [...]` → the Worker runs first on those paths, and
 *   every other request is answered by the assets without it. Documented:
 *   https://developers.cloudflare.com/workers/static-assets/binding/#run_worker_first
 *   (translated here as wrangler does: `static_routing.user_worker`).
 * - `.assetsignore` keeps the Worker's own folder out of the assets. Documented:
 *   https://developers.cloudflare.com/workers/static-assets/binding/#ignoring-assets
 * - `_headers` rules apply to static asset responses, including what
 *   `env.ASSETS.fetch()` returns to the Worker, but not to a Response the Worker
 *   builds itself. Documented:
 *   https://developers.cloudflare.com/workers/static-assets/headers/#custom-headers
 *   (Miniflare reads `_headers` from the assets folder and the asset Worker
 *   applies it; host-headers.test.ts shows both sides).
 * - Default asset headers (`Cache-Control: public, max-age=0, must-revalidate`,
 *   `ETag`, 304 on `If-None-Match`). Documented:
 *   https://developers.cloudflare.com/workers/static-assets/headers/#default-headers
 * - `html_handling` "auto-trailing-slash" (the default): `/x.html` redirects to
 *   `/x`. Documented: https://developers.cloudflare.com/workers/static-assets/routing/advanced/html-handling/
 * - Geo is the request's `cf.country`, filled in by Cloudflare's edge.
 *   Documented: https://developers.cloudflare.com/workers/runtime-apis/request/#incomingrequestcfproperties
 * - Cloudflare's CDN does not cache a Worker's response unless the Worker uses
 *   the Cache API or a Cache Rule caches the URL. Documented:
 *   https://developers.cloudflare.com/workers/reference/how-the-cache-works/
 *   The harness has no cache: ASSUMPTION that no Cache Rule covers these URLs
 *   (`astro-segments check` reads `CF-Cache-Status` on the real deployment).
 * - ASSUMPTION: Miniflare's routing of assets and Worker matches production's
 *   for these options (same workers-shared code, another version than deployed).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import type { PlantedRequest, Runtime, SiteName } from '../cases.ts';
import { buildOutputs, type BuiltOutputs } from './build-outputs.ts';
import { bundleWithGuard } from './bundle-with-guard.ts';

interface Wrangler {
  main: string;
  compatibility_date: string;
  assets: { directory: string; binding: string; run_worker_first: string[]; not_found_handling?: 'none' | '404-page' };
}

export interface WorkerdOptions {
  /** Serve these outputs (written by `astro build` or `buildOutputs`) instead of the conformance sites; the caller removes them. */
  readonly outputs?: BuiltOutputs;
}

export async function startWorkerd(options: WorkerdOptions = {}): Promise<Runtime> {
  const outputs = options.outputs ?? (await buildOutputs(['cloudflare']));
  const instances = new Map<SiteName, Miniflare>();
  await Promise.all(
    (Object.entries(outputs.sites) as [SiteName, { root: string; dist: string }][]).map(async ([site, { root, dist }]) => {
      const folder = join(dist, '_astro-segments');
      const wrangler = JSON.parse(await readFile(join(folder, 'wrangler.json'), 'utf8')) as Wrangler;
      const script = join(root, 'guarded-worker.js');
      await bundleWithGuard('cloudflare', resolve(folder, wrangler.main), script);
      const mf = new Miniflare({
        modules: true,
        modulesRoot: root,
        scriptPath: script,
        compatibilityDate: wrangler.compatibility_date,
        assets: {
          directory: resolve(folder, wrangler.assets.directory),
          binding: wrangler.assets.binding,
          routerConfig: { has_user_worker: true, static_routing: { user_worker: wrangler.assets.run_worker_first } },
          assetConfig: { has_static_routing: true, not_found_handling: wrangler.assets.not_found_handling ?? 'none' },
        },
      });
      await mf.ready;
      instances.set(site, mf);
    }),
  );
  return {
    async fetch(p: PlantedRequest) {
      const response = await instances.get(p.site)!.dispatchFetch(p.url, {
        method: p.method,
        headers: [...p.headers],
        redirect: 'manual',
        // Miniflare fills in a default `cf` (with a country): always say which one. Cloudflare
        // sends XX when it cannot tell.
        cf: { country: p.country ?? 'XX' },
      });
      return { status: response.status, headers: response.headers as unknown as Headers, body: await response.text() };
    },
    async stop() {
      await Promise.all([...instances.values()].map((mf) => mf.dispose()));
      if (!options.outputs) await outputs.remove();
    },
  };
}
