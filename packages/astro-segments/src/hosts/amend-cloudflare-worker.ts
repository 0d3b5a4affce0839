/**
 * Cloudflare with @astrojs/cloudflare and on-demand pages: the adapter builds a
 * server Worker of its own (`dist/server/wrangler.json`, `main: entry.mjs`) and
 * points Wrangler at it through `.wrangler/deploy/config.json`: the Cloudflare
 * Vite plugin's output config, which `wrangler deploy` finds by itself
 * (https://developers.cloudflare.com/workers/vite-plugin/reference/migrating-from-wrangler-dev/#input-and-output-worker-config-files).
 * A second Worker of ours with the same name would replace it on deploy, so the
 * router runs inside it instead:
 *
 * - `_astro-segments.mjs` beside the adapter's config wraps the adapter's
 *   module: the personalized paths go to the router, every other request to the
 *   adapter's `fetch`, its other exports unchanged;
 * - the config's `main` names the wrapper, and `assets.run_worker_first` adds
 *   the personalized paths to what the adapter asked for, so the prerendered
 *   personalized pages reach the Worker before the assets
 *   (https://developers.cloudflare.com/workers/static-assets/binding/#run_worker_first);
 *   every other request still reaches the adapter's Worker as before.
 *
 * One `wrangler deploy` then deploys both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { AstroError } from 'astro/errors';
import { bundleEntry } from './bundle-entry.ts';
import type { HostContext } from './context.ts';
import { cloudflarePatterns, servedForms } from './route-patterns.ts';

export const WRAPPER = '_astro-segments.mjs';

interface AdapterWorkerConfig {
  main: string;
  assets?: { binding?: string; directory?: string; run_worker_first?: boolean | string[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** The adapter's Worker config, when this build made one with a `main` module (on-demand pages). */
export function adapterWorkerConfig(root: URL): URL | undefined {
  const redirect = new URL('./.wrangler/deploy/config.json', root);
  try {
    const { configPath } = JSON.parse(readFileSync(redirect, 'utf8')) as { configPath?: unknown };
    if (typeof configPath !== 'string') return undefined;
    const config = new URL(configPath, redirect);
    const main = (JSON.parse(readFileSync(config, 'utf8')) as { main?: unknown }).main;
    return typeof main === 'string' && existsSync(new URL(main, config)) ? config : undefined;
  } catch {
    return undefined;
  }
}

/** The module the wrapper imports: the config's `main`, or the one an earlier run of this wrapped. */
async function adapterMain(config: URL, main: string): Promise<string> {
  if (main !== WRAPPER) return main;
  const earlier = await readFile(new URL(`./${WRAPPER}`, config), 'utf8');
  const imported = /from\s*"\.\/([^"]+)"/.exec(earlier)?.[1];
  if (!imported) throw new AstroError(`${WRAPPER} names no Worker module to wrap.`, 'Rebuild the site from scratch (delete dist/ and run astro build).');
  return imported;
}

export async function amendCloudflareWorker({ manifest, outDir }: HostContext, file: URL): Promise<URL> {
  const config = JSON.parse(await readFile(file, 'utf8')) as AdapterWorkerConfig;
  const binding = config.assets?.binding;
  if (binding !== 'ASSETS') {
    throw new AstroError(
      `${file.pathname}: the Worker's static assets binding is ${binding === undefined ? 'missing' : `"${binding}"`}, and astro-segments reads the built variant files through a binding named ASSETS.`,
      'Name the assets binding ASSETS in your wrangler configuration (`"assets": { "binding": "ASSETS" }`), as @astrojs/cloudflare does by default.',
    );
  }
  const main = await adapterMain(file, config.main);
  const server = `./${posix.normalize(main)}`;
  const served = servedForms(outDir, manifest);
  await writeFile(new URL(`./${WRAPPER}`, file), await bundleEntry('cloudflare-server', manifest, { server, served }));

  const ours = cloudflarePatterns(manifest, served);
  const theirs = config.assets!.run_worker_first;
  config.main = WRAPPER;
  config.assets!.run_worker_first = theirs === true ? true : [...new Set([...(Array.isArray(theirs) ? theirs : []), ...ours])];
  await writeFile(file, `${JSON.stringify(config)}\n`);
  // A standalone router Worker from an earlier build would be a second Worker of the same name.
  await rm(new URL('./_astro-segments/', outDir), { recursive: true, force: true });
  return file;
}
