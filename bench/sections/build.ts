/**
 * 4. Build: the site (1,000 pages, 200 personalized on one or two
 * dimensions of 3–4 values) and the large one (10,000 pages, 2,000
 * personalized), built by real Astro, each build in its own child process,
 * the two configurations alternating inside every round:
 *
 *   without  Astro's defaults (the Sätteri Markdown processor), no integration
 *   with     the integration
 *
 * Each site is built in two sets of rounds: the output on disk (the site's
 * `dist/`) and in memory (`/dev/shm`), with the cost of creating a file in
 * each place measured first (build/file-creation.ts). Then both sites again
 * with their pages as entries of a content collection (output in memory):
 * the path docs sites take, where the Markdown reaches the build through
 * Astro's data store.
 *
 * Plus: files emitted against the naive product of all values, slicing on its
 * own (`compileSite` over the marked-up pages captured from a real build),
 * and for the large site the manifest's size, each host's router bundle with
 * that manifest inlined against the host's documented limit, and the
 * router's cold start in workerd.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Manifest } from '../../packages/edge/src/index.ts';
import { bundleEntry, type EntryName } from '../../packages/astro-segments/src/hosts/bundle-entry.ts';
import { compileSite } from '../../packages/astro-segments/src/compile-site.ts';
import { validateOptions } from '../../packages/astro-segments/src/validate-options.ts';
import type { SegmentsOptions } from '../../packages/astro-segments/src/schema.ts';
import { mainSite, naiveFiles, perPageCombinations, segmentsOptions, writeSite, type Mode, type SiteSpec } from '../build/sitegen.ts';
import { coldStart, type ColdStart } from '../build/cold-start.ts';
import { fileCreation, type FileCreation } from '../build/file-creation.ts';
import { importCost, type ImportCost } from '../build/import-cost.ts';
import { summarize, type Summary } from '../lib/stats.ts';
import { cpuUsage } from '../router.ts';
import { astroBuild, GENERATED, type BuildTiming } from './prepare.ts';

export const MODES: readonly Mode[] = ['without', 'with'];

/**
 * Where a build writes its output. `disk`: the site's own `dist/`, on the disk the sources are
 * on, as a user builds. `memory`: a memory file system (Linux's `/dev/shm`), the sources and
 * `node_modules` still on disk: the same builds without the cost of creating files on this
 * machine's disk, which varies by thirty times between consecutive builds (see BENCHMARKS.md, Noise).
 */
export type OutputPlace = 'disk' | 'memory';
const MEMORY = '/dev/shm';
const MEMORY_OUTPUT = join(MEMORY, 'astro-segments-bench');

/** Each host's documented limit on the size of the router's code, compressed. */
export const HOST_LIMITS: Readonly<Record<EntryName & ('netlify' | 'vercel' | 'cloudflare'), { bytes: number; what: string; source: string }>> = {
  netlify: { bytes: 20 * 1024 * 1024, what: '20 MB after compression', source: 'https://docs.netlify.com/build/edge-functions/limits/' },
  vercel: { bytes: 1024 * 1024, what: '1 MB gzip (Hobby; Pro 2 MB, Enterprise 4 MB)', source: 'https://vercel.com/docs/functions/limitations' },
  cloudflare: {
    bytes: 3 * 1024 * 1024,
    what: '3 MB gzip (Free; Paid 10 MB)',
    source: 'https://developers.cloudflare.com/workers/platform/limits/#worker-size',
  },
};

export interface BuildSample extends BuildTiming {
  readonly round: number;
  readonly mode: Mode;
}

export interface Outputs {
  /** HTML files at public URLs (personalized pages keep one: their default). */
  readonly pages: number;
  readonly personalizedPages: number;
  readonly variantFiles: number;
  /** pages + variant files */
  readonly total: number;
  /** Every page once per combination of all the site's dimension values. */
  readonly naive: number;
  /** Each personalized page once per combination of its own dimensions, nothing shared. */
  readonly perPageCombinations: number;
}

export interface Slicing {
  readonly repeats: number;
  /** compileSite over the captured site: read every page, slice the personalized ones, hash, manifest. Wall time. */
  readonly ms: Summary;
  /** The same, CPU time of the main thread (steadier on a shared machine); the per-unit figures use it. */
  readonly cpuMs: Summary;
  readonly pages: number;
  readonly personalizedPages: number;
  readonly combinations: number;
  readonly variantFiles: number;
  readonly usPerCombination: number;
  readonly usPerVariantFile: number;
}

/** One site built both ways, alternating, round after round. */
export interface SiteBuild {
  readonly site: { pages: number; personalized: number; dimensions: string; source: NonNullable<SiteSpec['source']> };
  readonly output: OutputPlace;
  readonly rounds: number;
  readonly samples: readonly BuildSample[];
  readonly byMode: Readonly<Record<Mode, { ms: Summary; cpuMs: Summary; maxRssMb: Summary }>>;
  /** Per round ratios of `with` to `without`. */
  readonly ratios: { wall: Summary; cpu: Summary; rss: Summary };
  /** Time inside the integration's hooks during `with` builds. */
  readonly hooks: Readonly<Record<string, Summary>>;
  readonly outputs: Outputs;
}

export interface LargeSite extends SiteBuild {
  /** The manifest the build wrote: bytes as written and gzipped. */
  readonly manifest: { readonly routes: number; readonly bytes: number; readonly gzip: number };
  /** Each host's router with that manifest inlined, min+gzip, against the host's limit. */
  readonly bundles: readonly { readonly host: keyof typeof HOST_LIMITS; readonly gzip: number; readonly limit: number; readonly share: number }[];
  readonly coldStart: ColdStart;
}

export interface PlacedFileCreation extends FileCreation {
  readonly output: OutputPlace;
}

export interface BuildResult {
  readonly main: SiteBuild;
  /** The same site and rounds with the output in memory; undefined where there is no memory file system. */
  readonly mainInMemory: SiteBuild | undefined;
  readonly large: LargeSite | undefined;
  /** The large site's builds with the output in memory, as `mainInMemory`. */
  readonly largeInMemory: SiteBuild | undefined;
  /**
   * The site and the large one with their pages as entries of a content collection
   * (glob loader, one dynamic route, `render()`), as docs sites are built: output in memory
   * where there is a memory file system.
   */
  readonly collections: { readonly main: SiteBuild; readonly large: SiteBuild };
  readonly slicing: Slicing;
  /** Creating a build's new files on disk and, where there is one, on the memory file system. */
  readonly fileCreation: readonly PlacedFileCreation[];
  /** What importing the published integration costs every build, after Astro's own modules. */
  readonly importCost: ImportCost;
}

async function countOutputs(dist: string, spec: SiteSpec, personalizedPages: number): Promise<Outputs> {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  const html = entries.filter((e) => e.isFile() && e.name.endsWith('.html'));
  const variantFiles = html.filter((e) => e.parentPath.endsWith('_segments')).length;
  const pages = html.length - variantFiles;
  return { pages, personalizedPages, variantFiles, total: pages + variantFiles, naive: naiveFiles(spec), perPageCombinations: perPageCombinations(spec) };
}

/** Time `compileSite` (pure: reads, slices, hashes; writes nothing) over captured pages. */
export async function timeSlicing(captured: string, spec: SiteSpec, repeats: number): Promise<Slicing> {
  const options = validateOptions(segmentsOptions(spec) as unknown as SegmentsOptions);
  const settings = { base: '/', site: 'https://bench.example', trailingSlash: 'ignore' as const };
  await compileSite(captured, options, settings, () => undefined); // warm
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let site: Awaited<ReturnType<typeof compileSite>> | undefined;
  for (let i = 0; i < repeats; i++) {
    const cpu = cpuUsage();
    const start = performance.now();
    site = await compileSite(captured, options, settings, () => undefined);
    times.push(performance.now() - start);
    const used = cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  const combinations = site!.pages.reduce((n, p) => n + p.combinations, 0);
  const ms = summarize(times);
  const cpuMs = summarize(cpuTimes);
  return {
    repeats,
    ms,
    cpuMs,
    pages: spec.pages + 1,
    personalizedPages: site!.pages.length,
    combinations,
    variantFiles: site!.files.size,
    usPerCombination: (cpuMs.median * 1000) / combinations,
    usPerVariantFile: (cpuMs.median * 1000) / Math.max(1, site!.files.size),
  };
}

/**
 * Build `spec` both ways, `rounds` times, alternating the order, the output on `output`; the
 * first build of each is a warm-up.
 */
async function buildBoth(name: string, spec: SiteSpec, rounds: number, log: (line: string) => void, output: OutputPlace, capture?: string): Promise<SiteBuild> {
  const root = (mode: Mode) => siteRoot(name, mode);
  const outDir = (mode: Mode) => (output === 'disk' ? join(root(mode), 'dist') : join(MEMORY_OUTPUT, `${name}-${mode}`));
  // Warm-up (not counted): fills the file cache and, when asked, captures the marked-up pages for slicing.
  log(`build ${name}: warm-up, output on ${output}`);
  for (const mode of MODES) await astroBuild(root(mode), outDir(mode), mode === 'with' && capture ? { BENCH_CAPTURE: capture } : {});
  const outputs = await countOutputs(outDir('with'), spec, spec.personalized);
  const samples: BuildSample[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? MODES : [...MODES].reverse();
    for (const mode of order) {
      const timing = await astroBuild(root(mode), outDir(mode));
      samples.push({ ...timing, round, mode });
      log(
        `build ${name} (${output}): round ${round + 1}/${rounds} ${mode.padEnd(7)} ${(timing.ms / 1000).toFixed(1)} s, ${(timing.cpuMs / 1000).toFixed(1)} s CPU, ${Math.round(timing.maxRssKb / 1024)} MB`,
      );
    }
  }
  const of = (mode: Mode) => samples.filter((s) => s.mode === mode);
  const byMode = Object.fromEntries(
    MODES.map((mode) => [
      mode,
      { ms: summarize(of(mode).map((s) => s.ms)), cpuMs: summarize(of(mode).map((s) => s.cpuMs)), maxRssMb: summarize(of(mode).map((s) => s.maxRssKb / 1024)) },
    ]),
  ) as SiteBuild['byMode'];
  const perRound = (value: (s: BuildSample) => number) =>
    summarize(
      Array.from({ length: rounds }, (_, round) => {
        const at = (mode: Mode) => samples.find((s) => s.round === round && s.mode === mode)!;
        return value(at('with')) / value(at('without'));
      }),
    );
  const hookNames = [...new Set(of('with').flatMap((s) => Object.keys(s.hookMs)))];
  return {
    site: {
      pages: spec.pages + 1,
      personalized: spec.personalized,
      dimensions: spec.dimensions.map((d) => `${d.name} (${d.values.length})`).join(', '),
      source: spec.source ?? 'pages',
    },
    output,
    rounds,
    samples,
    byMode,
    ratios: { wall: perRound((s) => s.ms), cpu: perRound((s) => s.cpuMs), rss: perRound((s) => s.maxRssKb) },
    hooks: Object.fromEntries(hookNames.map((hook) => [hook, summarize(of('with').map((s) => s.hookMs[hook] ?? 0))])),
    outputs,
  };
}

/** What a large site's manifest weighs, in the file and inside each host's router. */
async function manifestCosts(dist: string, log: (line: string) => void, quick: boolean): Promise<Pick<LargeSite, 'manifest' | 'bundles' | 'coldStart'>> {
  const text = await readFile(join(dist, '_segments', 'manifest.json'));
  const manifest = JSON.parse(text.toString('utf8')) as Manifest;
  const bundles = [];
  for (const host of Object.keys(HOST_LIMITS) as (keyof typeof HOST_LIMITS)[]) {
    const gzip = gzipSync(await bundleEntry(host, manifest), { level: 9 }).length;
    bundles.push({ host, gzip, limit: HOST_LIMITS[host].bytes, share: gzip / HOST_LIMITS[host].bytes });
  }
  log('build large: router cold start in workerd');
  const cold = await coldStart(manifest, join(GENERATED, 'cold-start'), quick ? 3 : 15);
  return { manifest: { routes: Object.keys(manifest.routes).length, bytes: text.length, gzip: gzipSync(text, { level: 9 }).length }, bundles, coldStart: cold };
}

const siteRoot = (name: string, mode: Mode) => join(GENERATED, `${name}-${mode}`);

/** The site's sources both ways, once for all of its builds (on disk and in memory). */
async function writeSites(name: string, spec: SiteSpec): Promise<void> {
  for (const mode of MODES) await writeSite(siteRoot(name, mode), spec, mode);
}

/** Builds whose output is in memory; the memory is given back whatever happens. */
async function inMemory(builds: () => Promise<SiteBuild>): Promise<SiteBuild> {
  try {
    return await builds();
  } finally {
    await rm(MEMORY_OUTPUT, { recursive: true, force: true });
  }
}

export async function runBuild(quick: boolean, log: (line: string) => void): Promise<BuildResult> {
  const captured = join(GENERATED, 'captured-main');
  await rm(captured, { recursive: true, force: true });
  const creation: PlacedFileCreation[] = [{ output: 'disk', ...fileCreation(join(GENERATED, 'file-creation')) }];
  if (existsSync(MEMORY)) creation.push({ output: 'memory', ...fileCreation(join(MEMORY_OUTPUT, 'file-creation')) });
  const mainSpec = mainSite(quick ? 40 : 1000);
  // Seven rounds: on two shared cores the per-round ratio moves by twenty points, and a
  // ±10 % target is resolved only when every round lands on one side of it.
  await writeSites('main', mainSpec);
  const main = await buildBoth('main', mainSpec, quick ? 1 : 7, log, 'disk', captured);
  const mainInMemory = existsSync(MEMORY) ? await inMemory(() => buildBoth('main', mainSpec, quick ? 1 : 7, log, 'memory')) : undefined;
  log('build main: slicing on its own');
  const slicing = await timeSlicing(captured, mainSpec, quick ? 2 : 5);
  const largeSpec = mainSite(quick ? 400 : 10_000);
  await writeSites('large', largeSpec);
  const large = await buildBoth('large', largeSpec, quick ? 1 : 2, log, 'disk');
  const costs = await manifestCosts(join(GENERATED, 'large-with', 'dist'), log, quick);
  const largeInMemory = existsSync(MEMORY) ? await inMemory(() => buildBoth('large', largeSpec, quick ? 1 : 2, log, 'memory')) : undefined;
  // The same two sites with their pages in a content collection, output in memory where there is a memory file system.
  const collectionBuild = async (name: string, spec: SiteSpec, rounds: number) => {
    const collected: SiteSpec = { ...spec, source: 'collection' };
    await writeSites(name, collected);
    return existsSync(MEMORY) ? inMemory(() => buildBoth(name, collected, rounds, log, 'memory')) : buildBoth(name, collected, rounds, log, 'disk');
  };
  const collections = {
    main: await collectionBuild('collection', mainSpec, quick ? 1 : 7),
    large: await collectionBuild('large-collection', largeSpec, quick ? 1 : 2),
  };
  log("build: the integration's import, in fresh processes");
  const imported = await importCost(join(GENERATED, 'import-cost'), quick ? 3 : 15);
  return { main, mainInMemory, large: { ...large, ...costs }, largeInMemory, collections, slicing, fileCreation: creation, importCost: imported };
}
