/**
 * The memory baseline for workerd: a Worker that only hands every request to
 * its static assets (no router), on the same site, routed the same way, behind
 * the same Miniflare `dispatchFetch`. workerd's resident memory grows under
 * that path even for this Worker, so the router is judged by what it adds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { SITE_DIR, type PlantedRequest, type Runtime } from '../../hosts/cases.ts';

export async function startBareWorker(): Promise<Runtime> {
  const dir = await mkdtemp(join(tmpdir(), 'segments-bare-worker-'));
  await writeFile(join(dir, 'worker.js'), 'export default { fetch: (request, env) => env.ASSETS.fetch(request) };\n');
  const mf = new Miniflare({
    modules: true,
    modulesRoot: dir,
    scriptPath: join(dir, 'worker.js'),
    compatibilityDate: '2025-01-01',
    assets: { directory: SITE_DIR, binding: 'ASSETS', routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true } },
  });
  await mf.ready;
  return {
    async fetch(p: PlantedRequest) {
      const response = await mf.dispatchFetch(p.url, { method: p.method, headers: [...p.headers], redirect: 'manual', cf: { country: p.country ?? 'XX' } });
      return { status: response.status, headers: response.headers as unknown as Headers, body: await response.text() };
    },
    async stop() {
      await mf.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
