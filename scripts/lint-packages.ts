/**
 * `pnpm lint:packages`: build each publishable package, pack it exactly as
 * `pnpm publish` would (publishConfig applied, workspace: ranges replaced), lint
 * the tarballs with publint and Are the Types Wrong, then install the three
 * tarballs into a throwaway Astro site outside the workspace and build it: the
 * published `dist/` (components, host bundles, server, schema) must work on its
 * own, not only the workspace's TypeScript sources. Exits non-zero on any
 * finding, so CI can run it as is.
 *
 * Building and packing are `scripts/pack-packages.ts`; the packed set is the one
 * the install tests already made in this run when the sources have not changed.
 *
 * The packages are ESM only, so attw runs with its `esm-only` profile (CommonJS
 * `require` of them is not supported, by design).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packedPackages, PACKAGES, type PackageDir } from './pack-packages.ts';
import { AUDIENCE_DIMENSIONS, PRICING_PAGE } from './sample-site.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
// Under `pnpm run`, npm_execpath is the pnpm that runs us; use the same one to install.
const pnpm = process.env.npm_execpath ?? 'pnpm';
const failures: string[] = [];
const started = performance.now();

function run(label: string, command: string, args: readonly string[], options: { cwd?: string; quiet?: boolean } = {}): boolean {
  const t = performance.now();
  const result = spawnSync(command, args, { cwd: options.cwd ?? root, stdio: options.quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  const ok = result.status === 0;
  if (options.quiet && !ok) process.stdout.write(`${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}\n`);
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${label} (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  if (!ok) failures.push(label);
  return ok;
}

const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const versionIn = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
const out = await mkdtemp(join(tmpdir(), 'astro-segments-pack-'));
try {
  run('publishConfig matches exports and bin', process.execPath, [join(root, 'scripts/publish-config.ts')]);
  const t = performance.now();
  let tarballs: ReadonlyMap<PackageDir, string> | undefined;
  try {
    tarballs = await packedPackages();
    process.stdout.write(`ok   build and pnpm pack ${PACKAGES.join(', ')} (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
  } catch (error) {
    process.stdout.write(`${(error as Error).message}\nFAIL build and pnpm pack\n`);
    failures.push('build and pnpm pack');
  }
  for (const [dir, tarball] of tarballs ?? []) {
    run(`${dir}: publint ${basename(tarball)}`, bin('publint'), ['run', tarball, '--strict']);
    run(`${dir}: attw ${basename(tarball)}`, bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
  }
  if (tarballs) await smokeTest(tarballs);
} finally {
  await rm(out, { recursive: true, force: true });
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failures.length > 0) {
  process.stderr.write(`lint:packages: ${failures.length} check(s) failed in ${seconds} s:\n${failures.map((f) => `- ${f}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`lint:packages: ${PACKAGES.length} packages built, packed, linted and installed clean in ${seconds} s.\n`);

/** Install the tarballs into a fresh site (never the workspace's sources) and build it. */
async function smokeTest(tarballs: ReadonlyMap<PackageDir, string>): Promise<void> {
  const site = join(out, 'site');
  const file = (dir: PackageDir) => `file:${tarballs.get(dir)}`;
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: 'packed-site',
      private: true,
      type: 'module',
      dependencies: {
        // The versions the workspace tests with, so the install is served from pnpm's store.
        astro: versionIn(join(root, 'node_modules/astro')),
        '@astrojs/markdown-remark': versionIn(join(root, 'node_modules/@astrojs/markdown-remark')),
        'astro-segments': file('packages/astro-segments'),
      },
    }),
    // The tarballs name each other by version (0.x, maybe not published yet): point those at the files.
    'pnpm-workspace.yaml': [
      'overrides:',
      `  "@astro-segments/edge": "${file('packages/edge')}"`,
      `  "remark-segments": "${file('packages/remark-segments')}"`,
      'allowBuilds:',
      '  esbuild: false',
      '  sharp: false',
      '',
    ].join('\n'),
    'astro.config.mjs': `import { defineConfig } from 'astro/config';
import segments from 'astro-segments';
export default defineConfig({
  site: 'https://example.com',
  integrations: [segments({
    hosts: ['netlify', 'vercel', 'cloudflare'],
    dimensions: ${AUDIENCE_DIMENSIONS},
  })],
});
`,
    'src/pages/pricing.md': PRICING_PAGE,
    'src/pages/welcome.astro': `---
import { Segment, SegmentNotice, SegmentPage } from 'astro-segments/components';
---
<html lang="en"><head><meta charset="utf-8" /><title>Welcome</title></head><body>
<SegmentPage dimensions={['audience']} purpose="Greet returning customers" kpi="Dashboard visits" />
<SegmentNotice />
<main><Segment audience="customer"><a href="/app">Open your dashboard</a></Segment><Segment otherwise><a href="/trial">Start a free trial</a></Segment></main>
</body></html>
`,
    // Runs in the site: the server and schema subpaths, from dist/.
    'check.mjs': `import { createSegmentsServer } from 'astro-segments/server';
import { segmentsSchema } from 'astro-segments/schema';
import { existsSync, readFileSync } from 'node:fs';
const fail = (why) => { console.error('packed site: ' + why); process.exit(1); };
if (!import.meta.resolve('astro-segments').includes('/dist/')) fail('astro-segments did not resolve to dist/');
const manifest = JSON.parse(readFileSync('dist/_segments/manifest.json', 'utf8'));
if (Object.keys(manifest.routes).sort().join() !== '/pricing,/welcome') fail('manifest routes: ' + Object.keys(manifest.routes));
for (const f of ['.netlify/v1/edge-functions/astro-segments.js', '.vercel/output/functions/_astro-segments.func/index.mjs', 'dist/_astro-segments/worker.js']) {
  if (!existsSync(f)) fail('missing host output ' + f);
}
const welcome = readFileSync('dist/_segments/' + manifest.routes['/welcome'].variants.customer + '.html', 'utf8');
if (!welcome.includes('Open your dashboard') || welcome.includes('/trial')) fail('<Segment> was not sliced');
if (!segmentsSchema().safeParse({ dimensions: ['audience'], purpose: 'p', kpi: 'k' }).success) fail('segmentsSchema() rejects a valid object');
const server = createSegmentsServer({ dir: 'dist' });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = 'http://127.0.0.1:' + server.address().port + '/pricing/';
const customer = await (await fetch(url, { headers: { cookie: 'session=1' } })).text();
const prospect = await (await fetch(url)).text();
server.close();
if (!customer.includes('Upgrade your plan.') || !prospect.includes('Start your free trial.')) fail('the Node server did not route the variants');
`,
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(site, name)), { recursive: true });
    await writeFile(join(site, name), content);
  }
  if (!run('packed site: pnpm install --prefer-offline', pnpm, ['install', '--prefer-offline'], { cwd: site, quiet: true })) return;
  const astro = join(site, 'node_modules/astro/bin/astro.mjs');
  if (!existsSync(astro)) return void failures.push('packed site: astro is not installed');
  if (!run('packed site: astro build', process.execPath, [astro, 'build', '--silent'], { cwd: site, quiet: true })) return;
  run('packed site: routes, components, host outputs, server, schema', process.execPath, ['check.mjs'], { cwd: site, quiet: true });
}
