/**
 * Router micro-benchmark: readSignals + decide per request, URL and cookie
 * parsing included (the Request object itself is built once, as the host
 * hands it over). Plain output, no thresholds: budgets live in the tests.
 *
 *   npx -y pnpm@12.21.0 exec node bench/router.ts
 *
 * The full suite (`npx -y pnpm@12.21.0 bench`, see BENCHMARKS.md) imports the
 * cases and the measurement from here, repeats them and adds more.
 */
import { fileURLToPath } from 'node:url';
import { decide, readSignals, type Manifest, type Platform } from '../packages/edge/src/index.ts';

export const NOW = Date.UTC(2026, 5, 15);
export const hash = (i: number) => (0x1000000 + i).toString(16).padStart(12, 'a');

export const typical: Manifest = {
  version: 1,
  prefix: '/_segments/',
  param: 'segment',
  previewParam: 'segment-preview',
  cookie: { name: 'segment', maxAge: 2_592_000 },
  debug: false,
  dimensions: [
    {
      name: 'audience',
      default: 'prospect',
      values: [
        { name: 'customer', rules: [{ cookie: 'session' }] },
        { name: 'partner', rules: [{ utm_source: { is: ['partner-portal'] } }] },
        { name: 'prospect', rules: [] },
      ],
    },
    {
      name: 'region',
      default: 'other',
      values: [
        { name: 'eu', rules: [{ country: { is: ['de', 'fr', 'it', 'es', 'nl', 'at', 'be', 'pl', 'se', 'dk'] } }] },
        { name: 'na', rules: [{ country: { is: ['us', 'ca'] } }] },
        { name: 'other', rules: [] },
      ],
    },
  ],
  routes: {
    '/': { dims: ['audience'], variants: { customer: hash(1), partner: hash(2) } },
    '/pricing': { dims: ['audience', 'region'], variants: { 'customer/eu': hash(3), 'prospect/eu': hash(4), 'partner/na': hash(5) } },
  },
};

/** 6 dimensions × 8 values, each value with three rules that all miss until the last value. */
export const wide: Manifest = (() => {
  const dims = Array.from({ length: 6 }, (_, d) => ({
    name: `dim${d}`,
    default: `v${d}_7`,
    values: Array.from({ length: 8 }, (_, v) => ({
      name: `v${d}_${v}`,
      rules:
        v === 7
          ? []
          : [
              { cookie: `member_${d}_${v}`, from: NOW - 1, until: NOW + 1 },
              { utm_source: { is: Array.from({ length: 8 }, (_, i) => `src-${d}-${v}-${i}`) }, utm_medium: { prefix: 'paid' } },
              { referrer: { suffix: `.partner-${d}-${v}.example` }, language: { is: ['xx'] }, country: { is: ['zz'] } },
            ],
    })),
  }));
  const variants: Record<string, string> = {};
  for (let i = 0; i < 64; i++) variants[dims.map((d, j) => d.values[(i + j) % 8]!.name).join('/')] = hash(100 + i);
  return { ...typical, dimensions: dims, routes: { '/product/widget': { dims: dims.map((d) => d.name), variants } } };
})();

export const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';
export const commonHeaders = { 'user-agent': CHROME, 'accept-language': 'en-US,en;q=0.9,de;q=0.8', referer: 'https://www.google.com/' };

/** A 13.5 KB Cookie header of 400 small cookies (readSignals keeps the first 16,384 characters). */
export const hugeCookie = Array.from({ length: 400 }, (_, i) => `_ga_${i}=GA1.1.${1_000_000 + i}.${1_700_000_000 + i}`).join('; ') + '; session=1; __Host-segment=audience:customer';

const manyParams = (() => {
  const q = new URLSearchParams();
  const item = Array.from({ length: 16 }, () => 'zz').join(',').padEnd(64, 'x').slice(0, 64);
  for (let i = 0; i < 8; i++) q.append('segment', item), q.append('segment-preview', item);
  for (const k of ['source', 'medium', 'campaign', 'term', 'content']) q.append(`utm_${k}`, 'u'.repeat(128));
  for (let i = 0; i < 200; i++) q.append(`p${i}`, 'v'.repeat(20));
  return q.toString();
})();

export interface Case {
  name: string;
  request: Request;
  manifest: Manifest;
  platform: Platform;
}
export const cases: Case[] = [
  {
    name: 'typical (/pricing, utm, session cookie, 2 dims)',
    request: new Request('https://shop.example/pricing?utm_source=newsletter&utm_medium=email', {
      headers: { ...commonHeaders, cookie: '_ga=GA1.1.123.456; theme=dark; session=abc123; __Host-segment=region:eu' },
    }),
    manifest: typical,
    platform: { country: 'DE' },
  },
  {
    name: 'explicit choice (sets the cookie)',
    request: new Request('https://shop.example/pricing?segment=customer,region:na', { headers: commonHeaders }),
    manifest: typical,
    platform: { country: 'US' },
  },
  {
    name: 'not personalized (passes through)',
    request: new Request('https://shop.example/blog/some-post', { headers: { ...commonHeaders, cookie: 'session=abc' } }),
    manifest: typical,
    platform: { country: 'DE' },
  },
  {
    name: `max-size Cookie header (${hugeCookie.length} chars, 400 cookies)`,
    request: new Request('https://shop.example/pricing', { headers: { ...commonHeaders, cookie: hugeCookie } }),
    manifest: typical,
    platform: { country: 'DE' },
  },
  {
    name: `many params (8+8 × 64 chars, 5 utm × 128, 200 others; ${manyParams.length} chars)`,
    request: new Request(`https://shop.example/pricing?${manyParams}`, { headers: commonHeaders }),
    manifest: typical,
    platform: { country: 'DE' },
  },
  {
    name: '6 dims × 8 values, every rule evaluated, max cookie',
    request: new Request('https://shop.example/product/widget?utm_source=src-9&utm_medium=paid-social', {
      headers: { ...commonHeaders, referer: 'https://news.example/', cookie: hugeCookie },
    }),
    manifest: wide,
    platform: { country: 'DE' },
  },
];

export interface Measured {
  readonly perSecond: number;
  /**
   * Calls per second of this thread's CPU time (process CPU time where Node lacks
   * `process.threadCpuUsage`): steadier than wall time on a shared machine, and free
   * of the JIT's and GC's helper threads.
   */
  readonly perCpuSecond: number;
  /** Microseconds per call. */
  readonly p50: number;
  readonly p99: number;
}

/** CPU time of this thread (Node ≥ 23.9), else of the process. */
export const cpuUsage: (since?: NodeJS.CpuUsage) => NodeJS.CpuUsage =
  'threadCpuUsage' in process ? (since) => (process as unknown as { threadCpuUsage(p?: NodeJS.CpuUsage): NodeJS.CpuUsage }).threadCpuUsage(since) : (since) => process.cpuUsage(since);

/**
 * Throughput in batches with no per-call timer, then `samples` calls timed one
 * by one for the percentiles (at most `maxSampleMs` of them). `once` is warmed up first.
 */
export function measure(once: () => unknown, { ms = 1_000, samples = 20_000, warmup = 5_000, maxSampleMs = Infinity } = {}): Measured {
  for (let i = 0; i < warmup; i++) once(); // warm up the JIT
  // Throughput: batches, no per-call timer.
  let n = 0;
  const cpu = cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 500; i++) once();
    n += 500;
  }
  const perSecond = n / ((performance.now() - start) / 1_000);
  const used = cpuUsage(cpu);
  const perCpuSecond = n / ((used.user + used.system) / 1e6);
  // Latency: each call timed on its own.
  let times = new Float64Array(samples);
  const until = performance.now() + maxSampleMs;
  for (let i = 0; i < times.length; i++) {
    const t = process.hrtime.bigint();
    once();
    times[i] = Number(process.hrtime.bigint() - t) / 1_000;
    // Bounded for slow cases on a busy machine: keep the samples taken so far.
    if ((i & 255) === 255 && performance.now() > until) {
      times = times.slice(0, i + 1);
      break;
    }
  }
  times.sort();
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return { perSecond, perCpuSecond, p50: at(0.5), p99: at(0.99) };
}

/** One request's decision, as the hosts make it: readSignals + decide. */
export const decision = (c: Case) => () => decide(readSignals(c.request, c.manifest, c.platform, NOW), c.manifest);

function run(c: Case): void {
  const once = decision(c);
  const { perSecond, p50, p99 } = measure(once);
  const d = once();
  console.log(
    `${c.name}\n  ${Math.round(perSecond).toLocaleString('en-US')} decisions/s   p50 ${p50.toFixed(1)} µs   p99 ${p99.toFixed(1)} µs   → ${d ? (d.path ?? 'default file') : 'pass through'}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`router bench, Node ${process.version}, readSignals + decide per request\n`);
  for (const c of cases) run(c);
}
