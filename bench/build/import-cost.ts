/**
 * What importing the integration costs a build, as a user installs it:
 *
 *   node bench/build/import-cost.ts [runs]
 *
 * Each run is a fresh Node process in a site that links the published packages
 * (`published.ts`): it imports `astro` and `astro/config` first, as loading an
 * `astro.config` does, and then times `import('astro-segments')` alone. The
 * build section runs it too and prints the median and range in milliseconds,
 * and how many modules the import loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkPublished } from './published.ts';
import { fmtRange, summarize, type Summary } from '../lib/stats.ts';

export interface ImportCost {
  /** Milliseconds of `import('astro-segments')` after Astro's own modules, one fresh process each. */
  readonly ms: Summary;
  /** Modules Node loaded for it. */
  readonly modules: number;
}

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

/** Time the import `runs` times, in a site written at `site` (replaced). */
export async function importCost(site: string, runs: number): Promise<ImportCost> {
  await rm(site, { recursive: true, force: true });
  await mkdir(site, { recursive: true });
  await writeFile(join(site, 'package.json'), JSON.stringify({ name: 'import-cost', private: true, type: 'module' }));
  await writeFile(join(site, 'probe.mjs'), PROBE);
  await linkPublished(site);
  const samples: { ms: number; modules: number }[] = [];
  for (let run = 0; run < runs; run++) {
    const child = spawnSync(process.execPath, ['probe.mjs'], { cwd: site, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`the import probe failed:\n${child.stderr}`);
    samples.push(JSON.parse(child.stdout) as { ms: number; modules: number });
  }
  return { ms: summarize(samples.map((sample) => sample.ms)), modules: samples[0]!.modules };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 15);
  const cost = await importCost(fileURLToPath(new URL('../.generated/import-cost/', import.meta.url)), runs);
  console.log(`import('astro-segments') after Astro, ${runs} fresh processes: ${fmtRange(cost.ms, 1)} ms, ${cost.modules} modules`);
}
