/**
 * Vercel: routing middleware through the Build Output API v3, limited to the
 * personalized routes: an edge function `functions/_astro-segments.func/` and a
 * route `{ src, middlewarePath, continue: true }` in `config.json`'s routes.
 * https://vercel.com/docs/build-output-api/v3/configuration#routes
 * https://vercel.com/docs/build-output-api/v3/primitives#edge-functions
 *
 * Where the routes go, and why, is `vercel-routes.ts`.
 *
 * With @astrojs/vercel the adapter owns `.vercel/output`: it empties it when a
 * build starts and writes `config.json` in its own `astro:build:done`. Astro
 * runs the adapter's hooks before every other integration's (it puts the
 * adapter first in the list), so its `config.json` exists when this runs; it
 * is amended, never replaced, and the adapter's later step only copies static
 * files. Without an adapter this writes the whole (static) output itself.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sep } from 'node:path';
import { bundleEntry } from './bundle-entry.ts';
import type { HostContext } from './context.ts';
import { detectHost } from './detect-host.ts';
import { CLOUDFLARE_FOLDER } from './write-cloudflare.ts';
import { personalizedRoutes, vercelSource } from './route-patterns.ts';
import { missingVariants, withoutMissing } from './variant-files.ts';
import { vercelCacheRoutes } from './cache-headers.ts';
import { isOwnRoute, orderRoutes, type Route } from './vercel-routes.ts';

export const VERCEL_FUNCTION = '_astro-segments';

export async function writeVercel(context: HostContext): Promise<URL | undefined> {
  const { root, outDir, logger } = context;
  const output = new URL('./.vercel/output/', root);
  const configFile = new URL('./config.json', output);
  const functionFolder = new URL(`./functions/${VERCEL_FUNCTION}.func/`, output);
  const adapterOwned = context.adapter !== undefined ? detectHost(context.adapter) === 'vercel' : existsSync(configFile) && !existsSync(functionFolder);

  // A rewrite to a missing file would be a 404: drop those variants (the default page is served).
  const manifest = withoutMissing(context.manifest, missingVariants(outDir, context.manifest));
  const hasRoutes = personalizedRoutes(manifest).length > 0;

  if (!adapterOwned) {
    // Our own output from an earlier build: replace it all, stale files would deploy.
    await rm(output, { recursive: true, force: true });
    if (!hasRoutes) return undefined;
    // Not the Cloudflare Worker, nor the files other hosts read as configuration: Vercel would
    // serve them, and `_headers` lists every variant file.
    const skipped = [`./${CLOUDFLARE_FOLDER}`, './_headers', './_redirects', './.assetsignore'].map((path) => fileURLToPath(new URL(path, outDir)));
    await cp(fileURLToPath(outDir), fileURLToPath(new URL('./static/', output)), {
      recursive: true,
      filter: (source) => !skipped.some((path) => source === path || source.startsWith(path + sep)),
    });
  }
  await rm(functionFolder, { recursive: true, force: true });

  let config: { routes?: Route[] } = {};
  let routes: Route[] = [];
  if (!adapterOwned) {
    routes = [{ handle: 'filesystem' }];
    if (existsSync(new URL('./404.html', outDir))) routes.push({ src: '/.*', dest: '/404.html', status: 404 });
  } else if (existsSync(configFile)) {
    config = JSON.parse(await readFile(configFile, 'utf8')) as typeof config;
    routes = (config.routes ?? []).filter((route) => !isOwnRoute(route, context.manifest, VERCEL_FUNCTION));
  } else if (hasRoutes) {
    logger.warn(
      '.vercel/output/config.json is missing although @astrojs/vercel builds this site, so the segments route is written alone. ' +
        'Check that the Vercel adapter ran (astro build with `adapter: vercel()`).',
    );
  }
  if (!hasRoutes) {
    if (adapterOwned && existsSync(configFile)) await writeJson(configFile, { ...config, routes });
    return undefined;
  }

  await mkdir(functionFolder, { recursive: true });
  await writeFile(new URL('./index.mjs', functionFolder), await bundleEntry('vercel', manifest));
  await writeJson(new URL('./.vc-config.json', functionFolder), { runtime: 'edge', entrypoint: 'index.mjs' });

  const middleware = {
    src: vercelSource(manifest),
    middlewarePath: VERCEL_FUNCTION,
    middlewareRawSrc: personalizedRoutes(manifest),
    continue: true,
  };
  await writeJson(configFile, { ...config, version: 3, routes: orderRoutes(routes, middleware, vercelCacheRoutes(manifest), manifest) });
  return functionFolder;
}

function writeJson(file: URL, value: unknown): Promise<void> {
  return writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
