/**
 * The site on Cloudflare's runtime, in workerd through the Miniflare 4 API,
 * reachable over HTTP on 127.0.0.1 for the load generator. Two deployments of
 * the same folder, each in its own workerd process:
 *
 * - the generated Worker: configured from the generated `wrangler.json`
 *   exactly as test/hosts/runtimes/workerd.ts does (`run_worker_first` →
 *   static routing for the user worker), without that harness's privacy guard
 *   (which would add its own cost);
 * - an assets-only Worker: the same assets, and a Worker the assets router
 *   never invokes (`has_user_worker: false`), which is what a static site
 *   without the router deploys.
 *
 * The harness itself is not imported: it serves the conformance site through
 * vitest-only modules.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import { childPids, processName } from '../lib/proc.ts';

interface Wrangler {
  main: string;
  compatibility_date: string;
  assets: { directory: string; binding: string; run_worker_first: string[]; not_found_handling?: 'none' | '404-page' };
}

export interface WorkerdSite {
  readonly origin: string;
  /** The workerd process Miniflare started (for CPU time), if found. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** @param router false: the assets-only Worker */
export async function startWorkerd(dist: string, country: string, router = true): Promise<WorkerdSite> {
  const folder = join(dist, '_astro-segments');
  const wrangler = JSON.parse(await readFile(join(folder, 'wrangler.json'), 'utf8')) as Wrangler;
  const before = new Set(childPids(process.pid));
  const assets = {
    directory: resolve(folder, wrangler.assets.directory),
    binding: wrangler.assets.binding,
    assetConfig: { has_static_routing: router, not_found_handling: wrangler.assets.not_found_handling ?? 'none' },
  };
  const mf = new Miniflare({
    modules: true,
    ...(router ? { scriptPath: resolve(folder, wrangler.main) } : { script: 'export default { fetch() { return new Response(null, { status: 500 }); } };' }),
    compatibilityDate: wrangler.compatibility_date,
    host: '127.0.0.1',
    port: 0,
    // Cloudflare's own geo for every request (a fixed object: nothing is fetched).
    cf: { country },
    assets: router
      ? { ...assets, routerConfig: { has_user_worker: true, static_routing: { user_worker: wrangler.assets.run_worker_first } } }
      : { ...assets, routerConfig: { has_user_worker: false } },
  });
  const url = await mf.ready;
  const pid = childPids(process.pid).find((p) => !before.has(p) && processName(p).startsWith('workerd'));
  return { origin: url.origin, pid, stop: () => mf.dispose() };
}
