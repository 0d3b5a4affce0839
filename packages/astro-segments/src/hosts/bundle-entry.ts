/**
 * Bundle one host entry (a real module in `entries/`) with the site's manifest
 * into a single minified ES module: no imports left, nothing to install on the
 * host. The manifest and the host declaration are provided as virtual modules.
 */
import { fileURLToPath } from 'node:url';
import { build, type Loader, type Plugin } from 'esbuild';

export type EntryName = 'netlify' | 'vercel' | 'cloudflare';

export interface VirtualModule {
  readonly contents: string;
  readonly loader: Loader;
}

/** `astro-segments:<name>` → module source. */
export type VirtualModules = Readonly<Record<string, VirtualModule>>;

export const json = (value: unknown): VirtualModule => ({ contents: JSON.stringify(value), loader: 'json' });

export async function bundleEntry(entry: EntryName, modules: VirtualModules): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./entries/${entry}.ts`, import.meta.url))],
    bundle: true,
    format: 'esm',
    // Web-standard only: a `node:` import (or any bare import left over) fails the build.
    platform: 'neutral',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    plugins: [virtualModules(modules)],
  });
  return result.outputFiles[0]!.text;
}

function virtualModules(modules: VirtualModules): Plugin {
  return {
    name: 'astro-segments-virtual',
    setup(build) {
      build.onResolve({ filter: /^astro-segments:/ }, ({ path }) => ({ path, namespace: 'astro-segments' }));
      build.onLoad({ filter: /.*/, namespace: 'astro-segments' }, ({ path }) => {
        const module = modules[path.slice('astro-segments:'.length)];
        return module ? { contents: module.contents, loader: module.loader } : { errors: [{ text: `astro-segments: no virtual module ${path}` }] };
      });
    },
  };
}
