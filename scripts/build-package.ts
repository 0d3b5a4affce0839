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
 * 5. keeps bins executable.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const cwd = process.cwd();
const pkg = JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8')) as {
  name: string;
  publishConfig?: { bin?: Record<string, string> };
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

// The path is a string, or a template literal whose `${…}` parts may hold quotes.
const RUNTIME_URL = /new URL\(\s*(?:(['"])(\.{1,2}\/[^'"\n]*?)\.ts\1|`(\.{1,2}\/[^`\n]*?)\.ts`)\s*,\s*import\.meta\.url\s*\)/g;
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

process.stdout.write(`${pkg.name}: built ${relative(cwd, outDir)}/ (tsc, plus ${copied} copied .astro/.d.ts file(s))\n`);

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
