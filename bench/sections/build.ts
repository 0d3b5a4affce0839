/**
 * 4. Build: the site (1,000 pages, 200 personalized on one or two
 * dimensions of 3–4 values) built by real Astro, each build in its own child
 * process, the three configurations alternating inside every round:
 *
 *   without  Astro's defaults (the Sätteri Markdown processor), no integration
 *   unified  no integration, Markdown through unified() (what the integration switches to)
 *   with     the integration
 *
 * Plus: files emitted against the naive product of all values, and slicing on
 * its own (`compileSite` over the marked-up pages captured from a real build).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { compileSite } from '../../packages/astro-segments/src/compile-site.ts';
import { validateOptions } from '../../packages/astro-segments/src/validate-options.ts';
import type { SegmentsOptions } from '../../packages/astro-segments/src/schema.ts';
import { mainSite, naiveFiles, perPageCombinations, segmentsOptions, writeSite, type Mode, type SiteSpec } from '../build/sitegen.ts';
import { summarize, type Summary } from '../lib/stats.ts';
import { cpuUsage } from '../router.ts';
import { astroBuild, GENERATED, type BuildTiming } from './prepare.ts';

export const MODES: readonly Mode[] = ['without', 'unified', 'with'];

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

export interface BuildResult {
  readonly site: { pages: number; personalized: number; dimensions: string };
  readonly rounds: number;
  readonly samples: readonly BuildSample[];
  readonly warmup: BuildTiming;
  readonly byMode: Readonly<Record<Mode, { ms: Summary; cpuMs: Summary; maxRssMb: Summary }>>;
  /** Per round ratios of `with` to the others. */
  readonly ratios: { withVsWithout: Summary; withVsUnified: Summary; unifiedVsWithout: Summary; cpuWithVsWithout: Summary; cpuWithVsUnified: Summary };
  /** Time inside the integration's hooks during `with` builds. */
  readonly hooks: Readonly<Record<string, Summary>>;
  readonly outputs: Outputs;
  readonly slicing: Slicing;
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

export async function runBuild(quick: boolean, log: (line: string) => void): Promise<BuildResult> {
  const spec = mainSite(quick ? 40 : 1000);
  const rounds = quick ? 1 : 3;
  const root = (mode: Mode) => join(GENERATED, `site-${mode}`);
  for (const mode of MODES) await writeSite(root(mode), spec, mode);
  const captured = join(GENERATED, 'captured-main');
  await rm(captured, { recursive: true, force: true });

  // Warm-up (not counted): fills the file cache, and captures the marked-up pages for slicing.
  log(`build: warm-up (with, capturing pages)`);
  const warmup = await astroBuild(root('with'), join(root('with'), 'dist'), { BENCH_CAPTURE: captured });
  const outputs = await countOutputs(join(root('with'), 'dist'), spec, spec.personalized);

  const samples: BuildSample[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]!);
    for (const mode of order) {
      const timing = await astroBuild(root(mode), join(root(mode), 'dist'));
      samples.push({ ...timing, round, mode });
      log(`build: round ${round + 1}/${rounds} ${mode.padEnd(7)} ${(timing.ms / 1000).toFixed(1)} s, ${Math.round(timing.maxRssKb / 1024)} MB`);
    }
  }
  const of = (mode: Mode) => samples.filter((s) => s.mode === mode);
  const byMode = Object.fromEntries(
    MODES.map((mode) => [
      mode,
      {
        ms: summarize(of(mode).map((s) => s.ms)),
        cpuMs: summarize(of(mode).map((s) => s.cpuMs)),
        maxRssMb: summarize(of(mode).map((s) => s.maxRssKb / 1024)),
      },
    ]),
  ) as BuildResult['byMode'];
  const perRound = (x: Mode, y: Mode, key: 'ms' | 'cpuMs') =>
    summarize(
      Array.from({ length: rounds }, (_, round) => {
        const a = samples.find((s) => s.round === round && s.mode === x)!;
        const b = samples.find((s) => s.round === round && s.mode === y)!;
        return a[key] / b[key];
      }),
    );
  const hookNames = [...new Set(of('with').flatMap((s) => Object.keys(s.hookMs)))];
  const hooks = Object.fromEntries(hookNames.map((name) => [name, summarize(of('with').map((s) => s.hookMs[name] ?? 0))]));
  log('build: slicing on its own');
  const slicing = await timeSlicing(captured, spec, quick ? 2 : 5);
  return {
    site: { pages: spec.pages + 1, personalized: spec.personalized, dimensions: spec.dimensions.map((d) => `${d.name} (${d.values.length})`).join(', ') },
    rounds,
    samples,
    warmup,
    byMode,
    ratios: {
      withVsWithout: perRound('with', 'without', 'ms'),
      withVsUnified: perRound('with', 'unified', 'ms'),
      unifiedVsWithout: perRound('unified', 'without', 'ms'),
      cpuWithVsWithout: perRound('with', 'without', 'cpuMs'),
      cpuWithVsUnified: perRound('with', 'unified', 'cpuMs'),
    },
    hooks,
    outputs,
    slicing,
  };
}
