/**
 * Bundle one host entry (a real module in `entries/`) with the site's manifest
 * into a single minified ES module: no imports left, nothing to install on the
 * host. The manifest and the host declaration are provided as virtual modules.
 */
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '@astro-segments/edge';
import { unusedModules } from '@astro-segments/edge/features';
import { build, type Plugin } from 'esbuild';
import { cloudflarePatterns, netlifyPaths } from './route-patterns.ts';

/** `cloudflare-server`: the router inside @astrojs/cloudflare's own Worker (see write-cloudflare.ts). */
export type EntryName = 'netlify' | 'vercel' | 'cloudflare' | 'cloudflare-server';

/** `astro-segments:<name>` → JSON value. */
type VirtualModules = Readonly<Record<string, unknown>>;

/**
 * Netlify's inline declaration: the personalized paths, GET and HEAD only (no other
 * method is ever personalized, so none runs the function); on any error, serve the
 * page without the function. Never `cache: 'manual'`: it would let Netlify's CDN keep
 * the function's response by URL (https://docs.netlify.com/edge-functions/optional-configuration/).
 */
export const netlifyDeclaration = (manifest: Manifest) => ({ path: netlifyPaths(manifest), method: ['GET', 'HEAD'] as const, onError: 'bypass' as const });

/**
 * A manifest with a `holdout` gets the entry that decides through `holdout()`
 * (`entries/<host>-holdout.ts`); every other site's router carries none of it.
 *
 * @param options.dataExternal leave the manifest and the host declaration as
 *   imports instead of inlining them: the router's own code, as the size budget
 *   measures it.
 * @param options.server for `cloudflare-server`: the import specifier of the
 *   adapter's Worker module, relative to where the bundle is written.
 */
export async function bundleEntry(entry: EntryName, manifest: Manifest, options: { dataExternal?: boolean; server?: string } = {}): Promise<string> {
  const modules: VirtualModules =
    entry === 'netlify'
      ? { manifest, 'netlify-config': netlifyDeclaration(manifest) }
      : entry === 'cloudflare-server'
        ? { manifest, 'worker-first': cloudflarePatterns(manifest) }
        : { manifest };
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./entries/${entry}${manifest.holdout ? '-holdout' : ''}.ts`, import.meta.url))],
    bundle: true,
    format: 'esm',
    // Web-standard only: a `node:` import (or any bare import left over) fails the build.
    platform: 'neutral',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    plugins: [onlyUsedSignals(manifest), ...(options.dataExternal ? [] : [virtualModules(modules, options.server)])],
    ...(options.dataExternal && { external: ['astro-segments:*'] }),
  });
  return result.outputFiles[0]!.text;
}

/**
 * The router reads the Accept-Language and Referer headers through their own modules;
 * a site whose rules never read one gets `unused.ts` in its place, so its bundle
 * carries none of that parsing (see @astro-segments/edge's features.ts).
 */
function onlyUsedSignals(manifest: Manifest): Plugin {
  const unused = new Set<string>(unusedModules(manifest));
  return {
    name: 'astro-segments-only-used-signals',
    setup(build) {
      build.onResolve({ filter: /^\.\/(language|referrer)\.[jt]s$/ }, ({ path, importer }) =>
        unused.has(`${path.slice(2, -3)}.ts`) && importer.includes('edge') ? { path: join(dirname(importer), `unused${extname(path)}`) } : undefined,
      );
    },
  };
}

function virtualModules(modules: VirtualModules, server?: string): Plugin {
  return {
    name: 'astro-segments-virtual',
    setup(build) {
      // The adapter's Worker stays a separate module beside the bundle.
      build.onResolve({ filter: /^astro-segments:server$/ }, () =>
        server ? { path: server, external: true } : { errors: [{ text: 'astro-segments: no server Worker to import' }] },
      );
      build.onResolve({ filter: /^astro-segments:/ }, ({ path }) => ({ path, namespace: 'astro-segments' }));
      build.onLoad({ filter: /.*/, namespace: 'astro-segments' }, ({ path }) => {
        const name = path.slice('astro-segments:'.length);
        return Object.hasOwn(modules, name)
          ? { contents: JSON.stringify(modules[name]), loader: 'json' }
          : { errors: [{ text: `astro-segments: no virtual module ${path}` }] };
      });
    },
  };
}
