/**
 * Build one workspace package for publishing: `node ../../scripts/build-package.ts`
 * from the package folder (its `build` script).
 *
 * The workspace runs the TypeScript sources directly; only the packed tarball
 * uses `dist/` (through `publishConfig`). This script:
 * 1. emits JS and declarations with `tsc -p tsconfig.build.json` (relative `.ts`
 *    imports become `.js`);
 * 2. copies what tsc does not emit — `.astro` components (shipped as source, for
 *    the site's own Astro compiler) and hand-written `.d.ts` files — rewriting
 *    relative `.ts` imports in components to `.js`;
 * 3. rewrites `new URL('./file.ts', import.meta.url)` (files handed to Vite or
 *    esbuild at run time) to `.js`, and fails if any such reference is left;
 *    declarations keep tsc's `.ts` specifiers, which are rewritten to `.js` too;
 * 4. types components for plain TypeScript: a declaration's
 *    `export { default as Segment } from './Segment.astro'` (which only Astro's
 *    language tools can follow) becomes a function typed with the component's
 *    `Props`, so any checker and attw resolve it;
 * 5. keeps bins executable;
 * 6. bundles each exported module with the package's own files it imports
 *    (`dist/bundle/`, dependencies left as imports) and makes the export a
 *    one-line re-export of it: Node loads a few files for the package instead
 *    of one per source file (the integration's own import, at every `astro
 *    build`, `dev` and `sync`: ~160 → ~80 ms). The per-file output stays for
 *    the files handed to Vite or esbuild at run time and for the bins.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const cwd = process.cwd();
const pkg = JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8')) as {
  name: string;
  publishConfig?: { bin?: Record<string, string>; exports?: Record<string, string | { default?: string }> };
};
const config = JSON.parse(await readFile(join(cwd, 'tsconfig.build.json'), 'utf8')) as {
  compilerOptions: { rootDir: string; outDir: string };
};
const rootDir = join(cwd, config.compilerOptions.rootDir);
const outDir = join(cwd, config.compilerOptions.outDir);

await rm(outDir, { recursive: true, force: true });

const tsc = createRequire(join(cwd, 'package.json')).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd, stdio: 'inherit' });
if (result.status !== 0) fail(`tsc -p tsconfig.build.json exited with ${result.status}. Fix the type errors above.`);

// A relative import or URL of a TypeScript file, in quotes or a template literal.
const TS_SPECIFIER = /(['"`])(\.{1,2}\/[^'"`\n]*?)\.ts\1/g;

let copied = 0;
for (const file of await filesUnder(rootDir)) {
  const isDeclaration = file.endsWith('.d.ts');
  if (!isDeclaration && !file.endsWith('.astro')) continue;
  const target = join(outDir, relative(rootDir, file));
  await mkdir(dirname(target), { recursive: true });
  if (isDeclaration) await copyFile(file, target);
  else await writeFile(target, (await readFile(file, 'utf8')).replace(TS_SPECIFIER, '$1$2.js$1'));
  copied++;
}

/**
 * `new URL('./path<ending>', import.meta.url)`: groups quote, path, template (the path without
 * `ending`). The path is a string, or a template literal whose `${…}` parts may hold quotes.
 */
const runtimeUrl = (ending: string) =>
  new RegExp(`new URL\\(\\s*(?:(['"])(\\.{1,2}\\/[^'"\\n]*?)${ending}\\1|\`(\\.{1,2}\\/[^\`\\n]*?)${ending}\`)\\s*,\\s*import\\.meta\\.url\\s*\\)`, 'g');
// Step 3 finds the `.ts` references tsc left; step 6, every reference in the rewritten `.js`.
const RUNTIME_URL = runtimeUrl('\\.ts');
const RUNTIME_JS_URL = runtimeUrl('');
const leftovers: string[] = [];
for (const file of await filesUnder(outDir)) {
  const isDeclaration = file.endsWith('.d.ts');
  if (!isDeclaration && !file.endsWith('.js')) continue;
  const source = await readFile(file, 'utf8');
  const rewritten = isDeclaration
    ? source.replace(TS_SPECIFIER, '$1$2.js$1')
    : source.replace(RUNTIME_URL, (_, quote: string | undefined, path: string | undefined, template: string | undefined) =>
        quote ? `new URL(${quote}${path}.js${quote}, import.meta.url)` : `new URL(\`${template}.js\`, import.meta.url)`,
      );
  if (rewritten !== source) await writeFile(file, rewritten);
  for (const match of rewritten.matchAll(/new URL\([^)]*\.ts['"`][^)]*\)/g)) leftovers.push(`${relative(cwd, file)}: ${match[0]}`);
}
if (leftovers.length > 0) {
  fail(
    `these run-time file references still name a .ts file, which dist/ does not have:\n${leftovers.join('\n')}\nWrite them as new URL('./file.ts', import.meta.url) so the build can rewrite them.`,
  );
}

const ASTRO_REEXPORT = /^export \{ default as (\w+) \} from '(\.{1,2}\/[^']+\.astro)';$/gm;
for (const file of await filesUnder(outDir)) {
  if (!file.endsWith('.d.ts')) continue;
  const source = await readFile(file, 'utf8');
  if (!ASTRO_REEXPORT.test(source)) continue;
  const imports: string[] = [];
  const typed = source.replace(ASTRO_REEXPORT, (_, name: string, path: string) => {
    const props = propsOf(readFileSync(join(dirname(file), path), 'utf8'));
    if (props) imports.push(`import type { ${props.type} as _${name}Props } from '${props.from}';`);
    return `/** The \`<${name}>\` Astro component (${path}). */\nexport declare const ${name}: (props: ${props ? `_${name}Props` : 'Record<string, any>'}) => any;`;
  });
  await writeFile(file, `${imports.join('\n')}\n${typed}`);
}

for (const bin of Object.values(pkg.publishConfig?.bin ?? {})) await chmod(join(cwd, bin), 0o755);

const bundled = await bundleExports();

process.stdout.write(`${pkg.name}: built ${relative(cwd, outDir)}/ (tsc, plus ${copied} copied .astro/.d.ts file(s), ${bundled} export(s) bundled)\n`);

/**
 * Step 6. Every bundle and shared chunk sits in one folder, so a run-time file reference
 * (`new URL('./x.js', import.meta.url)`, see step 3) is rewritten relative to that folder and
 * still names the per-file output. An export that re-exports `.astro` components is left as
 * tsc wrote it: Vite loads it with the site's own code, where the file count does not matter.
 */
async function bundleExports(): Promise<number> {
  // The router's package is bundled again into each host's edge function, where esbuild drops
  // whole unused files (`sideEffects: false`); one bundle of it would keep them (8.4 → 11.4 KB).
  if (pkg.name === '@astro-segments/edge') return 0;
  const bundleDir = join(outDir, 'bundle');
  const entries: Record<string, string> = {};
  for (const target of Object.values(pkg.publishConfig?.exports ?? {})) {
    const path = typeof target === 'string' ? target : target.default;
    if (!path?.endsWith('.js')) continue;
    const file = join(cwd, path);
    if (/\.astro['"]/.test(await readFile(file, 'utf8'))) continue;
    entries[relative(outDir, file).replace(/\.js$/, '').split(/[\\/]/).join('-')] = file;
  }
  if (Object.keys(entries).length === 0) return 0;
  const esbuild = (await import(pathToFileURL(createRequire(join(cwd, 'package.json')).resolve('esbuild')).href)) as typeof import('esbuild');
  const result = await esbuild.build({
    entryPoints: entries,
    outdir: bundleDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'rebase-runtime-urls',
        setup(build) {
          build.onLoad({ filter: /\.js$/ }, async ({ path }) => ({
            contents: rebaseRuntimeUrls(await readFile(path, 'utf8'), dirname(path), bundleDir),
            loader: 'js',
          }));
        },
      },
    ],
  });
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint) continue;
    // An entry's bundle is `bundle/<its name>.js` (the keys of `entries`).
    const exportFile = entries[basename(output, '.js')]!;
    const from = relativeSpecifier(dirname(exportFile), resolve(output));
    const lines = [`export * from '${from}';`];
    if (meta.exports.includes('default')) lines.push(`export { default } from '${from}';`);
    await writeFile(exportFile, `${lines.join('\n')}\n`);
  }
  return Object.keys(entries).length;
}

/** `new URL('./a.js', import.meta.url)` (or a template literal) in a file of `fromDir`, rewritten to resolve the same from `toDir`. */
function rebaseRuntimeUrls(source: string, fromDir: string, toDir: string): string {
  return source.replace(RUNTIME_JS_URL, (_, quote: string | undefined, path: string | undefined, template: string | undefined) => {
    const spec = (path ?? template)!;
    // The folder part before any `${…}`: resolved here, the rest kept as written.
    const staticPart = spec.split('${')[0]!;
    const cut = staticPart.lastIndexOf('/') + 1;
    const folder = resolve(fromDir, staticPart.slice(0, cut));
    // A fixed path must name a file of dist/; a template, at least a folder of it.
    if (!existsSync(spec === staticPart ? resolve(fromDir, spec) : folder)) {
      fail(`a run-time file reference in ${relative(cwd, fromDir)}/ names what dist/ does not have: ${spec}`);
    }
    const rebased = `${relativeSpecifier(toDir, folder)}/${spec.slice(cut)}`;
    return quote ? `new URL(${quote}${rebased}${quote}, import.meta.url)` : `new URL(\`${rebased}\`, import.meta.url)`;
  });
}

/** A relative import specifier from `fromDir` to `to`: `./x`, `../x`, or `.`. */
function relativeSpecifier(fromDir: string, to: string): string {
  const path = relative(fromDir, to).split('\\').join('/');
  return path === '' ? '.' : path.startsWith('..') ? path : `./${path}`;
}

/** A component's `type Props = X;` and the relative module X is imported from (already `.js`). */
function propsOf(component: string): { type: string; from: string } | undefined {
  const type = /^type Props = (\w+);$/m.exec(component)?.[1];
  if (!type) return undefined;
  const from = new RegExp(`^import [^;]*\\btype ${type}\\b[^;]*from '(\\.{1,2}/[^']+)';$`, 'm').exec(component)?.[1];
  return from ? { type, from } : undefined;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('node_modules') && !relative(dir, entry.parentPath).startsWith('dist'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function fail(message: string): never {
  process.stderr.write(`build-package (${pkg.name}): ${message}\n`);
  process.exit(1);
}
