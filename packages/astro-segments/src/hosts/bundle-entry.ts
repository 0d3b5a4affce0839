/**
 * Bundle one host entry (a real module in `entries/`) with the site's manifest
 * into a single minified ES module: no imports left, nothing to install on the
 * host. The manifest, compiled for the router (@astro-segments/edge's
 * compile.ts), and the host declaration are provided as virtual modules.
 */
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '@astro-segments/edge';
import { compileManifest, packable, packRoutes, type CompiledManifest } from '@astro-segments/edge/compile';
import { OPTIONAL_MODULES, usedFeatures, type Features } from '@astro-segments/edge/features';
import { build, type Plugin } from 'esbuild';
import { segmentsError } from '../segments-error.ts';
import { cloudflarePatterns, netlifyPaths, type ServedForm } from './route-patterns.ts';

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
export const netlifyDeclaration = (manifest: Manifest, served?: ServedForm) => ({
  path: netlifyPaths(manifest, served),
  method: ['GET', 'HEAD'] as const,
  onError: 'bypass' as const,
});

/**
 * A manifest with a `holdout` gets the entry that decides through `holdout()`
 * (`entries/<host>-holdout.ts`); every other site's router carries none of it.
 *
 * @param options.dataExternal leave the manifest and the host declaration as
 *   imports instead of inlining them: the router's own code, as the size budget
 *   measures it.
 * @param options.fileMarks keep line breaks and esbuild's `// <file>` comment
 *   before each module's code (names and syntax still minified): for measuring
 *   what each part of the router costs, never for deploying.
 * @param options.server for `cloudflare-server`: the import specifier of the
 *   adapter's Worker module, relative to where the bundle is written.
 * @param options.served which URL form serves each page (route-patterns.ts): the paths
 *   the Netlify declaration and the adapter Worker's router take.
 */
export async function bundleEntry(
  entry: EntryName,
  manifest: Manifest,
  options: { dataExternal?: boolean; server?: string; fileMarks?: boolean; served?: ServedForm } = {},
): Promise<string> {
  const compiled = inlinedForm(compileManifest(manifest));
  const packed = Object.values(compiled.routes).some((route) => typeof route === 'string');
  const modules: VirtualModules =
    entry === 'netlify'
      ? { manifest: compiled, 'netlify-config': netlifyDeclaration(manifest, options.served) }
      : entry === 'cloudflare-server'
        ? { manifest: compiled, 'worker-first': cloudflarePatterns(manifest, options.served) }
        : { manifest: compiled };
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./entries/${entry}${manifest.holdout ? '-holdout' : ''}.ts`, import.meta.url))],
    bundle: true,
    format: 'esm',
    // Web-standard only: a `node:` import (or any bare import left over) fails the build.
    platform: 'neutral',
    target: 'es2022',
    ...(options.fileMarks ? { minifyIdentifiers: true, minifySyntax: true } : { minify: true }),
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    plugins: [onlySiteCode(usedFeatures(manifest), packed), ...(options.dataExternal ? [] : [virtualModules(modules, options.server)])],
    ...(options.dataExternal && { external: ['astro-segments:*'] }),
  });
  return result.outputFiles[0]!.text;
}

/**
 * The router carries only what this site uses (see @astro-segments/edge's uses.ts and features.ts):
 * - its `uses.ts` becomes the site's own answers, one `export const` per flag, and the minifier
 *   drops the code behind each `false` (a date test, a kind of matcher, debug explanations);
 * - a whole optional module the site never needs (the Accept-Language parser, the Referer
 *   parser, the search of the route table a small site's bundle does not pack) becomes
 *   `unused.ts`, which reads nothing (and looks a route up as an own key);
 * - `compiled.ts`, which compiles a manifest on first use, becomes `precompiled.ts`: the
 *   manifest in the bundle is compiled already.
 */
function onlySiteCode(features: Features, packed: boolean): Plugin {
  const flags = Object.entries(features)
    .map(([flag, on]) => `export const ${flag} = ${on};`)
    .join('\n');
  const unused = new Set(Object.entries(OPTIONAL_MODULES).flatMap(([file, flag]) => (features[flag] ? [] : [file.slice(0, -3)])));
  if (!packed) unused.add('packed');
  return {
    name: 'astro-segments-only-site-code',
    setup(build) {
      build.onResolve({ filter: /^\.\/(uses|compiled|language|referrer|packed)\.[jt]s$/ }, ({ path, importer }) => {
        if (!/[\\/]edge[\\/]/.test(importer)) return undefined;
        const name = path.slice(2, -3);
        const sibling = (file: string) => ({ path: join(dirname(importer), `${file}${extname(path)}`) });
        if (name === 'uses') return { path: 'uses', namespace: 'astro-segments-uses' };
        if (name === 'compiled') return sibling('precompiled');
        return unused.has(name) ? sibling('unused') : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'astro-segments-uses' }, () => ({ contents: flags, loader: 'js' }));
    },
  };
}

/** Characters of JSON from which the manifest is inlined as a string for JSON.parse (V8 advises 10 kB). */
const LARGE_MANIFEST = 10_000;

/**
 * A large site's compiled manifest with its routes packed into one route table
 * (@astro-segments/edge's packed.ts): a Worker reads the whole manifest at each cold start
 * and a request needs one route, so the routes are never parsed at all, only searched (2,000
 * routes: ~2 ms less at start than `JSON.parse` of one short string per route, which was
 * 11 ms less than routes as objects). A small one stays as it is, and its router carries no
 * table search.
 */
function inlinedForm(compiled: CompiledManifest): CompiledManifest {
  if (JSON.stringify(compiled).length <= LARGE_MANIFEST) return compiled;
  const unpackable = Object.keys(compiled.routes).find((key) => !packable(key));
  if (unpackable !== undefined) {
    throw segmentsError(
      `The personalized page ${JSON.stringify(unpackable)} cannot be routed: its path holds the control character U+001E or U+001F, which separate the routes in the router of a site this large.`,
      'Rename the page (its file, or the getStaticPaths parameter that makes its path) so that its path holds no control character.',
      { name: 'SegmentsContentError' },
    );
  }
  return packRoutes(compiled);
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
        if (!Object.hasOwn(modules, name)) return { errors: [{ text: `astro-segments: no virtual module ${path}` }] };
        const json = JSON.stringify(modules[name]);
        // A large manifest as a JSON string parsed at start: V8 parses JSON faster than the same
        // data written as an object literal (2,000 routes: 29 instead of 41 ms at import). Its route
        // table stays outside, one plain string literal that is scanned and never parsed (packed.ts;
        // inside the JSON it would be parsed as a string, escapes and all). A small manifest stays a
        // literal, which needs no escaped quotes.
        if (name === 'manifest' && json.length > LARGE_MANIFEST) {
          const { routes, ...rest } = modules[name] as CompiledManifest;
          return { contents: `export default { ...JSON.parse(${JSON.stringify(JSON.stringify(rest))}), routes: ${JSON.stringify(routes)} };`, loader: 'js' };
        }
        return { contents: json, loader: 'json' };
      });
    },
  };
}
