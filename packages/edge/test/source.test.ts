/**
 * Guards on the shipped source itself: the router core stays dependency-free,
 * side-effect free, network- and log-free, and inside its size budget.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const CORE = [
  'index.ts',
  'signals.ts',
  'decide.ts',
  'cookie.ts',
  'bots.ts',
  'serve.ts',
  'manifest.ts',
  'types.ts',
  'holdout.ts',
  'compile.ts',
  'compiled.ts',
  'precompiled.ts',
  'uses.ts',
  'unused.ts',
  'packed.ts',
];
const HOSTS = ['netlify.ts', 'vercel.ts', 'cloudflare.ts'];
/**
 * Each adapter as a host bundle ships it, every optional part on (a site's own bundle leaves
 * out what it does not use: test/hosts/size.test.ts): the manifest compiled at build, so
 * `compiled.ts` is `precompiled.ts`. 2240 on main, before the router was compiled from the
 * manifest and made ~5× faster per request; 2608 before routes were compiled to numbered
 * combinations and bare hashes (+16 B here, and half the bytes a Worker parses at each cold
 * start for a large site); 2624 before a large site's routes were packed (packed.ts, +96 B
 * here with every part on; a small site's bundle leaves the unpacking out: test/hosts/size.test.ts);
 * 2736 before they became one table searched in place (+141 B here for the search, ~2 ms less
 * at a large site's cold start; a small site's bundle leaves it out too); 2880 before the table
 * wrote each name in ten characters and each combination by its place (+145 B here, a fifth
 * fewer bytes in a 2,000-route table and ~1 ms less at its cold start).
 */
const BUDGET = 3040;
/** With the compiler, for a router handed a manifest at run time (say a user's own Worker); +96 B for the routes' compact form. */
const WITH_COMPILER_BUDGET = BUDGET + 768;

/** Source without comments, so prose about `fetch` or `console` does not count. */
const code = (file: string) =>
  readFileSync(SRC + file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

/** As the integration's bundler does for a host (see bundle-entry.ts): the manifest arrives compiled. */
const precompiled: Plugin = {
  name: 'precompiled',
  setup(b) {
    b.onResolve({ filter: /^\.\/compiled\.ts$/ }, () => ({ path: `${SRC}precompiled.ts` }));
  },
};

async function gzipSize(contents: string, ignoreAnnotations = false, plugins: Plugin[] = []): Promise<{ bytes: number; text: string }> {
  const out = await build({
    stdin: { contents, resolveDir: SRC, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
    ignoreAnnotations,
    plugins,
  });
  const text = out.outputFiles[0]!.text;
  return { bytes: gzipSync(text, { level: 9 }).length, text };
}

describe('router source', () => {
  const files = readdirSync(SRC).filter((f) => f.endsWith('.ts'));

  it('lists every core file this test checks', () => {
    for (const f of CORE) expect(files).toContain(f);
  });

  // No Node built-ins, console, fetch, process, globalThis, eval, Function or RegExp in the
  // router: Biome's rules for packages/edge/src (biome.jsonc), proven to fire by test/lint.test.ts.

  it.each(CORE)('%s imports only sibling .ts files (dependency-free)', (file) => {
    for (const [, spec] of code(file).matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)) expect(spec).toMatch(/^\.\/[\w-]+\.ts$/);
    expect(code(file)).not.toMatch(/\bimport\s*\(/);
  });

  it('has no module-scope side effects: importing it for nothing bundles to nothing', async () => {
    // ignoreAnnotations: judge the code itself, not the package's `sideEffects: false` promise.
    const { text } = await gzipSize(`import './index.ts';`, true);
    expect(text.trim()).toBe('');
  });
});

describe('size budget (min+gzip, manifest excluded)', () => {
  it(`keeps the core router (serve and everything it uses) at most ${BUDGET - 64} bytes as host bundles ship it, leaving room for a host adapter`, async () => {
    const { bytes } = await gzipSize(`export { serve } from './serve.ts';`, false, [precompiled]);
    expect(bytes).toBeLessThanOrEqual(BUDGET - 64);
  });

  it.each(HOSTS)(`keeps the bundled %s router at most ${BUDGET} bytes as host bundles ship it, and carries no compiler there`, async (file) => {
    if (!existsSync(SRC + file)) return;
    const { bytes, text } = await gzipSize(`export * from './${file}';`, false, [precompiled]);
    expect(bytes).toBeLessThanOrEqual(BUDGET);
    expect(text).not.toMatch(/\.compiled===|\{6,64\}/);
  });

  it.each(HOSTS)(`keeps the bundled %s router at most ${WITH_COMPILER_BUDGET} bytes with the compiler`, async (file) => {
    if (!existsSync(SRC + file)) return;
    const { bytes, text } = await gzipSize(`export * from './${file}';`);
    expect(bytes).toBeLessThanOrEqual(WITH_COMPILER_BUDGET);
    // The tells test/hosts/size.test.ts looks for to see that a host bundle has no compiler.
    expect(text).toMatch(/\.compiled===/);
    expect(text).toMatch(/\{6,64\}/);
  });
});
