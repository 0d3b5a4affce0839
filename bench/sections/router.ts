/**
 * 1. The router per request, in-process. The five request shapes of issue 13
 * (plain, utm, cookie choice, 4 KB cookie header, GPC), each decided as a host
 * bundle decides it (bench/router.ts `decision`) and by the hand-rolled router
 * of bench/hand-rolled.ts, alternating within each repeat so both see the same
 * machine; then the decision as `astro dev` and on-demand pages make it
 * (every signal read first), more cases up to the worst, and the whole `serve()`
 * with an in-memory host. Per-call times have the timer's own cost subtracted.
 */
import { compileManifest } from '../../packages/edge/src/compile.ts';
import { serve } from '../../packages/edge/src/index.ts';
import { fmt, fmtRange, summarize, type Summary } from '../lib/stats.ts';
import type { Table } from '../lib/table.ts';
import {
  cases,
  CHROME,
  cpuUsage,
  decision,
  eagerDecision,
  handRolledDecision,
  hugeCookie,
  measure,
  shapes,
  timerOverhead,
  typical,
  wide,
  type Case,
  type Measured,
} from '../router.ts';

/** The targets of issue 13 for one decision. */
export const TARGET_MEDIAN_US = 1;
export const TARGET_RATIO = 2;

export interface ShapeResult {
  readonly name: string;
  /** µs per decision, median over the repeats of each repeat's per-call median / 99th percentile. */
  readonly p50: Summary;
  readonly p99: Summary;
  readonly handRolledP50: Summary;
  readonly handRolledP99: Summary;
  /** Ours / hand-rolled, per repeat. */
  readonly ratio: Summary;
  /** Decisions per CPU-second, ours and hand-rolled. */
  readonly perCpuSecond: Summary;
  readonly handRolledPerCpuSecond: Summary;
  /** The same request read all at once (`readSignals` + `decide`), as on-demand pages and astro dev do (they keep the signals for Astro.locals). */
  readonly eagerP50: Summary;
  readonly result: string;
}

export interface RouterCase {
  readonly name: string;
  readonly perSecond: Summary;
  /** Decisions per second of this thread's CPU time. */
  readonly perCpuSecond: Summary;
  /** µs per decision, median of the repeats' medians / 99th percentiles. */
  readonly p50: Summary;
  readonly p99: Summary;
  readonly result: string;
}

export interface RouterResult {
  readonly shapes: readonly ShapeResult[];
  readonly cases: readonly RouterCase[];
  readonly repeats: number;
  /** µs the timer itself adds to one timed call (subtracted from every per-call time). */
  readonly timerUs: number;
}

/** Request headers at the sizes hosts accept: Node's default limit is 16 KB for all headers, Cloudflare's 128 KB. */
const maxReferer = `https://www.example-search.com/search?q=${'x'.repeat(8_000)}`;
const maxLanguage = Array.from({ length: 400 }, (_, i) => `x${String.fromCharCode(97 + (i % 26))}-${i % 99};q=0.${(i % 9) + 1}`).join(',');
const maxHeaders = {
  'user-agent': `${CHROME} ${'Extension/1.0 '.repeat(70)}`.slice(0, 1024),
  'accept-language': maxLanguage.slice(0, 4096),
  referer: maxReferer,
  cookie: `${hugeCookie}; ${'_pad='.padEnd(2_500, 'p')}`,
  'sec-gpc': '0',
  dnt: '0',
};
const headerBytes = Object.entries(maxHeaders).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);

const worstParams = (() => {
  const q = new URLSearchParams();
  for (let i = 0; i < 8; i++) q.append('segment', `dim${i % 6}:v${i % 6}_${i},${'zz,'.repeat(20)}`.slice(0, 64));
  for (const k of ['source', 'medium', 'campaign', 'term', 'content']) q.append(`utm_${k}`, `src-9-${'u'.repeat(120)}`);
  for (let i = 0; i < 100; i++) q.append(`p${i}`, 'v'.repeat(20));
  return q.toString();
})();

export const extraCases: Case[] = [
  {
    name: `all headers at max size (${(headerBytes / 1024).toFixed(0)} KB: Cookie ${(maxHeaders.cookie.length / 1024).toFixed(0)} KB, Referer 8 KB, Accept-Language 4 KB, UA 1 KB)`,
    request: new Request('https://shop.example/pricing?utm_source=newsletter', { headers: maxHeaders }),
    manifest: typical,
    platform: { country: 'DE' },
  },
  {
    name: 'worst: 6 dims × 8 values, every rule, max headers, 8 choice items, long utm',
    request: new Request(`https://shop.example/product/widget?${worstParams}`, { headers: maxHeaders }),
    manifest: wide,
    platform: { country: 'DE' },
  },
];

/** The whole router for one request, with an in-memory host: what a host adapter runs. */
function serveCase(c: Case): () => Promise<Response> {
  const body = 'x'.repeat(4096);
  const compiled = compileManifest(c.manifest);
  const host = {
    asset: async () => new Response(body, { headers: { 'content-type': 'text/html' } }),
    next: async () => new Response(body, { headers: { 'content-type': 'text/html' } }),
  };
  return () => serve(c.request, compiled, c.platform, host);
}

async function measureAsync(once: () => Promise<unknown>, ms: number, samples: number): Promise<Measured> {
  for (let i = 0; i < 2_000; i++) await once();
  let n = 0;
  const cpu = cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 200; i++) await once();
    n += 200;
  }
  const perSecond = n / ((performance.now() - start) / 1_000);
  const used = cpuUsage(cpu);
  const perCpuSecond = n / ((used.user + used.system) / 1e6);
  const times = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const t = process.hrtime.bigint();
    await once();
    times[i] = Number(process.hrtime.bigint() - t) / 1_000;
  }
  times.sort();
  const at = (p: number) => times[Math.min(samples - 1, Math.floor(p * samples))]!;
  return { perSecond, perCpuSecond, p50: at(0.5), p99: at(0.99) };
}

const describe = (d: { path: string | null } | null) => (d ? (d.path ?? 'default file') : 'pass through');

export async function runRouter(quick: boolean): Promise<RouterResult> {
  const repeats = quick ? 1 : 5;
  const settings = { ms: quick ? 150 : 400, samples: quick ? 5_000 : 20_000, warmup: quick ? 2_000 : 10_000, maxSampleMs: quick ? 300 : 800 };
  const timer = summarize(Array.from({ length: 5 }, timerOverhead)).median;
  const net = (m: Measured) => ({ ...m, p50: Math.max(0, m.p50 - timer), p99: Math.max(0, m.p99 - timer) });

  const shapeResults: ShapeResult[] = [];
  for (const c of shapes) {
    const ours = decision(c);
    const theirs = handRolledDecision(c);
    const eager = eagerDecision(c);
    const a: Measured[] = [];
    const b: Measured[] = [];
    const e: Measured[] = [];
    for (let i = 0; i < repeats; i++) {
      // Alternating, so ours and the hand-rolled router share each stretch of the machine's load.
      a.push(net(measure(ours, settings)));
      b.push(net(measure(theirs, settings)));
      e.push(net(measure(eager, settings)));
    }
    shapeResults.push({
      name: c.name,
      p50: summarize(a.map((m) => m.p50)),
      p99: summarize(a.map((m) => m.p99)),
      handRolledP50: summarize(b.map((m) => m.p50)),
      handRolledP99: summarize(b.map((m) => m.p99)),
      ratio: summarize(a.map((m, i) => m.p50 / b[i]!.p50)),
      perCpuSecond: summarize(a.map((m) => m.perCpuSecond)),
      handRolledPerCpuSecond: summarize(b.map((m) => m.perCpuSecond)),
      eagerP50: summarize(e.map((m) => m.p50)),
      result: describe(ours()),
    });
  }

  const out: RouterCase[] = [];
  const record = (name: string, runs: Measured[], result: string) =>
    out.push({
      name,
      perSecond: summarize(runs.map((r) => r.perSecond)),
      perCpuSecond: summarize(runs.map((r) => r.perCpuSecond)),
      p50: summarize(runs.map((r) => r.p50)),
      p99: summarize(runs.map((r) => r.p99)),
      result,
    });
  for (const c of [...cases, ...extraCases]) {
    const once = decision(c);
    const runs = Array.from({ length: Math.min(repeats, 3) }, () => net(measure(once, settings)));
    record(c.name, runs, describe(once()));
  }
  const first = shapes[0]!;
  const whole = serveCase(first);
  const runs: Measured[] = [];
  for (let i = 0; i < Math.min(repeats, 3); i++) runs.push(net(await measureAsync(whole, settings.ms, settings.samples)));
  record(`serve(): ${first.name}, in-memory host, Response wrapping included`, runs, 'variant response');
  return { shapes: shapeResults, cases: out, repeats, timerUs: timer };
}

const us = (n: number) => fmt(n, 2);

export function routerTables(r: RouterResult): Table[] {
  const plural = r.repeats > 1 ? 's' : '';
  return [
    {
      title: `Router: one decision per request shape of issue 13, as the host bundles decide (lazy signals, compiled manifest), next to a hand-rolled router in the same process (${r.repeats} alternating repeat${plural}; median, range; µs)`,
      head: [
        'shape',
        'ours p50',
        'ours p99',
        'hand-rolled p50',
        'hand-rolled p99',
        'ours / hand-rolled',
        'all signals read first (astro dev, on-demand pages) p50',
        'result',
      ],
      right: [1, 2, 3, 4, 5, 6],
      rows: r.shapes.map((s) => [
        s.name,
        fmtRange(s.p50, 2),
        us(s.p99.median),
        fmtRange(s.handRolledP50, 2),
        us(s.handRolledP99.median),
        `${fmtRange(s.ratio, 2)}×`,
        us(s.eagerP50.median),
        s.result,
      ]),
      note:
        `Targets: median ≤ ${TARGET_MEDIAN_US} µs on each shape, and ≤ ${TARGET_RATIO}× the hand-rolled router. The timer's own ${fmt(r.timerUs * 1000)} ns per call is subtracted. ` +
        `Per CPU-second: ${r.shapes.map((s) => `${s.name.split(' (')[0]} ${fmt(s.perCpuSecond.median)} vs ${fmt(s.handRolledPerCpuSecond.median)}`).join('; ')}.`,
    },
    {
      title: `Router: more cases, up to the worst (decided as the host bundles decide; median, range)`,
      head: ['case', 'decisions/s (wall)', 'per CPU-second', 'p50 µs', 'p99 µs', 'result'],
      right: [1, 2, 3, 4],
      rows: r.cases.map((c) => [c.name, fmtRange(c.perSecond), fmt(c.perCpuSecond.median), us(c.p50.median), us(c.p99.median), c.result]),
      note: 'Wall-clock throughput depends on how much CPU the machine leaves this process; decisions per CPU-second do not. p99 on a shared machine is mostly preemption.',
    },
  ];
}

export function routerVerdicts(r: RouterResult): string[] {
  const slowest = r.shapes.reduce((a, b) => (b.p50.median > a.p50.median ? b : a));
  const widest = r.shapes.reduce((a, b) => (b.ratio.median > a.ratio.median ? b : a));
  const handSlowest = Math.max(...r.shapes.map((s) => s.handRolledP50.median));
  return [
    `${slowest.p50.median <= TARGET_MEDIAN_US ? 'MET' : 'NOT MET'}: decision median ≤ ${TARGET_MEDIAN_US} µs on the five request shapes: ` +
      `${r.shapes.map((s) => `${s.name.split(' (')[0]} ${us(s.p50.median)}`).join(', ')} µs (slowest: ${slowest.name}); ` +
      `the hand-rolled router on the same machine: up to ${us(handSlowest)} µs`,
    `${widest.ratio.median <= TARGET_RATIO ? 'MET' : 'NOT MET'}: decision ≤ ${TARGET_RATIO}× the hand-rolled router in the same process: ` +
      `${r.shapes.map((s) => `${fmt(s.ratio.median, 2)}×`).join(', ')} (widest: ${widest.name})`,
  ];
}
