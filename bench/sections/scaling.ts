/**
 * 5. Scaling: how the router's cost per decision grows with dimensions, values
 * and routes (and the bundle with routes), and how build time grows with pages
 * and with combinations per page. Writes the numbers and a plot.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decide, readSignals, type Manifest, type ManifestDimension } from '../../packages/edge/src/index.ts';
import { bundleEntry } from '../../packages/astro-segments/src/hosts/bundle-entry.ts';
import { gridSite, mainSite, writeSite, type Mode } from '../build/sitegen.ts';
import { summarize, type Summary } from '../lib/stats.ts';
import { commonHeaders, hash, measure, NOW } from '../router.ts';
import { MODES, timeSlicing, type SiteBuild } from './build.ts';
import { astroBuild, GENERATED } from './prepare.ts';
import { sized } from './sizes.ts';

export interface RouterPoint {
  readonly dims: number;
  readonly values: number;
  readonly routes: number;
  /** CPU ns per decision (median of repeats). */
  readonly nsPerDecision: Summary;
  /** Wall-clock µs, median per-call. */
  readonly p50: number;
  readonly bundleGzip?: number;
  readonly bundleMin?: number;
}

export interface PagesPoint {
  readonly pages: number;
  readonly mode: Mode;
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

export interface CombinationPoint {
  readonly dims: number;
  readonly values: number;
  readonly combinationsPerPage: number;
  readonly personalizedPages: number;
  readonly variantFiles: number;
  readonly buildMs: number;
  readonly buildDoneHookMs: number;
  readonly slicingMs: number;
  readonly slicingCpuMs: number;
  /** CPU µs per combination. */
  readonly slicingUsPerCombination: number;
  readonly maxRssMb: number;
}

export interface ScalingResult {
  readonly router: readonly RouterPoint[];
  readonly routes: readonly RouterPoint[];
  readonly pages: readonly PagesPoint[];
  readonly combinations: readonly CombinationPoint[];
}

/**
 * `dims` dimensions of `values` values, `routes` routes varying on every dimension.
 * Every non-default value has two rules; the request matches none, so every rule is evaluated.
 */
export function scaledManifest(dims: number, values: number, routes: number): Manifest {
  const dimensions: ManifestDimension[] = Array.from({ length: dims }, (_, d) => ({
    name: `d${d}`,
    default: `d${d}v${values - 1}`,
    values: Array.from({ length: values }, (_, v) => ({
      name: `d${d}v${v}`,
      rules: v === values - 1 ? [] : [{ utm_campaign: { is: [`c-${d}-${v}`, `k-${d}-${v}`] } }, { cookie: `m_${d}_${v}`, country: { is: ['zz'] } }],
    })),
  }));
  const names = dimensions.map((d) => d.name);
  const variants = (r: number) =>
    Object.fromEntries(Array.from({ length: 3 }, (_, k) => [dimensions.map((d, j) => d.values[(r + k + j) % values]!.name).join('/'), hash(r * 3 + k)]));
  const routeMap: Record<string, Manifest['routes'][string]> = {};
  for (let r = 0; r < routes; r++) routeMap[r === 0 ? '/pricing' : `/docs/page-${r}`] = { dims: names, variants: variants(r) };
  return {
    version: 1,
    prefix: '/_segments/',
    param: 'segment',
    previewParam: 'segment-preview',
    cookie: { name: 'segment', maxAge: 2_592_000 },
    debug: false,
    dimensions,
    routes: routeMap,
  };
}

const request = new Request('https://shop.example/pricing?utm_source=newsletter&utm_campaign=winter', {
  headers: { ...commonHeaders, cookie: '_ga=GA1.1.123.456; theme=dark; session=abc123' },
});

function routerPoint(dims: number, values: number, routes: number, quick: boolean): RouterPoint {
  const manifest = scaledManifest(dims, values, routes);
  const once = () => decide(readSignals(request, manifest, { country: 'DE' }, NOW), manifest);
  if (!once()) throw new Error('scaled manifest: no decision');
  const runs = Array.from({ length: quick ? 1 : 3 }, () => measure(once, { ms: quick ? 100 : 250, samples: quick ? 2_000 : 5_000, warmup: 20_000 }));
  return { dims, values, routes, nsPerDecision: summarize(runs.map((r) => 1e9 / r.perCpuSecond)), p50: summarize(runs.map((r) => r.p50)).median };
}

export async function runScaling(
  quick: boolean,
  log: (line: string) => void,
  builds: readonly Pick<SiteBuild, 'site' | 'byMode'>[] = [],
): Promise<ScalingResult> {
  log('scaling: router');
  const router: RouterPoint[] = [];
  for (const dims of quick ? [1, 2, 4] : [1, 2, 4, 8])
    for (const values of quick ? [2, 4, 8] : [2, 4, 8, 16]) router.push(routerPoint(dims, values, 10, quick));
  const routes: RouterPoint[] = [];
  for (const count of quick ? [10, 1_000] : [10, 100, 1_000, 10_000]) {
    const point = routerPoint(2, 4, count, quick);
    const bundle = sized(await bundleEntry('cloudflare', scaledManifest(2, 4, count)));
    routes.push({ ...point, bundleGzip: bundle.gzip, bundleMin: bundle.min });
  }

  const pages: PagesPoint[] = [];
  // Between the main (1,000) and the large (10,000) sites of the build section, which come in as they are.
  const sizes = quick ? [] : [250, 2_500, 5_000];
  for (const [i, n] of sizes.entries()) {
    const spec = mainSite(n);
    const order = i % 2 === 0 ? MODES : [...MODES].reverse();
    for (const mode of order) {
      const root = join(GENERATED, `scale-${n}-${mode}`);
      await writeSite(root, spec, mode);
      const t = await astroBuild(root, join(root, 'dist'));
      pages.push({ pages: n + 1, mode, ms: t.ms, cpuMs: t.cpuMs, maxRssMb: t.maxRssKb / 1024 });
      log(`scaling: ${n} pages ${mode.padEnd(7)} ${(t.ms / 1000).toFixed(1)} s`);
    }
  }
  for (const built of builds) {
    for (const mode of MODES) {
      const m = built.byMode[mode];
      pages.push({ pages: built.site.pages, mode, ms: m.ms.median, cpuMs: m.cpuMs.median, maxRssMb: m.maxRssMb.median });
    }
  }
  pages.sort((a, b) => a.pages - b.pages);

  const combinations: CombinationPoint[] = [];
  const grid: [number, number][] = quick
    ? [
        [1, 2],
        [2, 4],
      ]
    : [
        [1, 2],
        [1, 8],
        [2, 4],
        [3, 4],
      ];
  const gridPages = quick ? 10 : 100;
  const gridPersonalized = quick ? 5 : 50;
  for (const [dims, values] of grid) {
    const spec = gridSite(gridPages, gridPersonalized, dims, values);
    const root = join(GENERATED, `grid-${dims}x${values}`);
    const captured = join(GENERATED, `captured-grid-${dims}x${values}`);
    await writeSite(root, spec, 'with');
    // One build, capturing the marked-up pages for slicing (the copy's time is taken out).
    await rm(captured, { recursive: true, force: true });
    const t = await astroBuild(root, join(root, 'dist'), { BENCH_CAPTURE: captured });
    const slicing = await timeSlicing(captured, spec, quick ? 1 : 5);
    combinations.push({
      dims,
      values,
      combinationsPerPage: values ** dims,
      personalizedPages: slicing.personalizedPages,
      variantFiles: slicing.variantFiles,
      buildMs: t.ms,
      buildDoneHookMs: t.hookMs['astro:build:done'] ?? 0,
      slicingMs: slicing.ms.median,
      slicingCpuMs: slicing.cpuMs.median,
      slicingUsPerCombination: slicing.usPerCombination,
      maxRssMb: t.maxRssKb / 1024,
    });
    log(
      `scaling: ${dims} dims × ${values} values: build ${(t.ms / 1000).toFixed(1)} s, slicing ${slicing.cpuMs.median.toFixed(0)} ms CPU for ${slicing.variantFiles} variant files`,
    );
  }
  return { router, routes, pages, combinations };
}
