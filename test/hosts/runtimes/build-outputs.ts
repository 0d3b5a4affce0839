/**
 * Build the real host outputs for each site instance into a temporary project:
 * `<tmp>/<site>/dist` is a copy of test/hosts/site with that instance's
 * manifest, then `writeHostOutputs` writes `.netlify/`, `.vercel/` and
 * `dist/_astro-segments/` exactly as `astro build` would.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeHostOutputs, type HostName } from '../../../packages/astro-segments/src/hosts/index.ts';
import { MANIFESTS, SITE_DIR, type SiteName } from '../cases.ts';

export interface BuiltSite {
  /** Project root (where `.netlify/` and `.vercel/` are). */
  readonly root: string;
  /** The built site (`dist/`). */
  readonly dist: string;
}

export interface BuiltOutputs {
  readonly sites: Readonly<Record<SiteName, BuiltSite>>;
  readonly warnings: readonly string[];
  remove(): Promise<void>;
}

export async function buildOutputs(hosts: readonly HostName[]): Promise<BuiltOutputs> {
  const base = await mkdtemp(join(tmpdir(), 'segments-hosts-'));
  const warnings: string[] = [];
  const sites = {} as Record<SiteName, BuiltSite>;
  for (const site of Object.keys(MANIFESTS) as SiteName[]) {
    const root = join(base, site);
    const dist = join(root, 'dist');
    await cp(SITE_DIR, dist, { recursive: true });
    await writeFile(join(dist, '_segments', 'manifest.json'), JSON.stringify(MANIFESTS[site]));
    await writeHostOutputs(hosts, {
      root: pathToFileURL(`${root}/`),
      outDir: pathToFileURL(`${dist}/`),
      manifest: MANIFESTS[site],
      logger: { info: () => {}, warn: (message) => void warnings.push(message) },
    });
    sites[site] = { root, dist };
  }
  return { sites, warnings, remove: () => rm(base, { recursive: true, force: true }) };
}
