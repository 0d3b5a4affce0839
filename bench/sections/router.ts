/**
 * 1. The router per request, in-process: readSignals + decide (URL, query and
 * cookie parsing included) for bench/router.ts's cases plus worst cases with
 * every header at a host's maximum size, and the whole `serve()` with an
 * in-memory host (Response wrapping included). Each case is repeated; the
 * median and range of the repeats are reported.
 */
import { serve, type Manifest } from '../../packages/edge/src/index.ts';
import { cases, CHROME, cpuUsage, decision, hugeCookie, measure, typical, wide, type Case } from '../router.ts';
import { summarize, type Summary } from '../lib/stats.ts';

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
  readonly cases: readonly RouterCase[];
  readonly repeats: number;
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
  const host = {
    asset: async () => new Response(body, { headers: { 'content-type': 'text/html' } }),
    next: async () => new Response(body, { headers: { 'content-type': 'text/html' } }),
  };
  return () => serve(c.request, c.manifest as Manifest, c.platform, host);
}

async function measureAsync(once: () => Promise<unknown>, ms: number, samples: number) {
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

export async function runRouter(quick: boolean): Promise<RouterResult> {
  const repeats = quick ? 1 : 3;
  const ms = quick ? 200 : 500;
  const samples = quick ? 5_000 : 20_000;
  const out: RouterCase[] = [];
  const record = (name: string, runs: { perSecond: number; perCpuSecond: number; p50: number; p99: number }[], result: string) =>
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
    const runs = Array.from({ length: repeats }, () => measure(once, { ms, samples, warmup: quick ? 1_000 : 5_000, maxSampleMs: quick ? 300 : 800 }));
    const d = once();
    record(c.name, runs, d ? (d.path ?? 'default file') : 'pass through');
  }
  const typicalCase = cases[0]!;
  const whole = serveCase(typicalCase);
  const runs = [];
  for (let i = 0; i < repeats; i++) runs.push(await measureAsync(whole, ms, samples));
  record(`serve(): ${typicalCase.name}, in-memory host, Response wrapping included`, runs, 'variant response');
  return { cases: out, repeats };
}
