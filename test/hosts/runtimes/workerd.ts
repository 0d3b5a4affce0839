/**
 * (c) workerd through the Miniflare 4 API: the generated Cloudflare Worker
 * (`dist/_astro-segments/worker.js`, wrapped by the privacy guard) with the
 * site as static assets, configured from the generated `wrangler.json` the way
 * wrangler translates it (`run_worker_first: [...]` → static routing for the
 * user worker; `.assetsignore` honoured). Geo is the request's `cf` object.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import type { PlantedRequest, Runtime, SiteName } from '../cases.ts';
import { buildOutputs } from './build-outputs.ts';
import { bundleWithGuard } from './bundle-with-guard.ts';

interface Wrangler {
  main: string;
  compatibility_date: string;
  assets: { directory: string; binding: string; run_worker_first: string[]; not_found_handling?: 'none' | '404-page' };
}

export async function startWorkerd(): Promise<Runtime> {
  const outputs = await buildOutputs(['cloudflare']);
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
      await outputs.remove();
    },
  };
}
