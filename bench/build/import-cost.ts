/**
 * What importing the integration costs a build, as a user installs it:
 *
 *   node bench/build/import-cost.ts [runs]
 *
 * Each run is a fresh Node process in a site that links the published packages
 * (`published.ts`): it imports `astro` and `astro/config` first, as loading an
 * `astro.config` does, and then times `import('astro-segments')` alone. Prints
 * the median and range in milliseconds, and how many modules the import loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { linkPublished } from './published.ts';
import { fmtRange, summarize } from '../lib/stats.ts';

const runs = Number(process.argv[2] ?? 15);
const site = fileURLToPath(new URL('../.generated/import-cost/', import.meta.url));

// Counts the modules Node loads (a load hook) and times the integration's import.
const PROBE = `import { registerHooks } from 'node:module';
let loaded = 0;
registerHooks({ load: (url, context, next) => (loaded++, next(url, context)) });
await import('astro');
await import('astro/config');
const before = loaded;
const start = performance.now();
await import('astro-segments');
console.log(JSON.stringify({ ms: performance.now() - start, modules: loaded - before }));
`;

await rm(site, { recursive: true, force: true });
await mkdir(site, { recursive: true });
await writeFile(`${site}package.json`, JSON.stringify({ name: 'import-cost', private: true, type: 'module' }));
await writeFile(`${site}probe.mjs`, PROBE);
await linkPublished(site);

const samples: { ms: number; modules: number }[] = [];
for (let run = 0; run < runs; run++) {
  const child = spawnSync(process.execPath, ['probe.mjs'], { cwd: site, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the probe failed:\n${child.stderr}`);
  samples.push(JSON.parse(child.stdout) as { ms: number; modules: number });
}
const ms = summarize(samples.map((sample) => sample.ms));
console.log(`import('astro-segments') after Astro, ${runs} fresh processes: ${fmtRange(ms, 1)} ms, ${samples[0]!.modules} modules`);
