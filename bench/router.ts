/**
 * Router micro-benchmark: one decision per request as the host bundles make it
 * (`RequestSignals` reading only what the decision asks for, over the manifest
 * compiled at build), for the five request shapes of issue 13, next to the
 * hand-rolled router of hand-rolled.ts in the same process. The Request object
 * is built once, as the host hands it over. Plain output, no thresholds.
 *
 *   npx -y pnpm@12.21.0 exec node bench/router.ts
 *
 * The full suite (`npx -y pnpm@12.21.0 bench`, see BENCHMARKS.md) imports the
 * cases and the measurement from here, repeats them and adds more.
 */
import { fileURLToPath } from 'node:url';
import { compileManifest } from '../packages/edge/src/compile.ts';
import { decide, readSignals, RequestSignals, type Decision, type Manifest, type Platform } from '../packages/edge/src/index.ts';
import { handRolled } from './hand-rolled.ts';

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
export const hugeCookie = `${Array.from({ length: 400 }, (_, i) => `_ga_${i}=GA1.1.${1_000_000 + i}.${1_700_000_000 + i}`).join('; ')}; session=1; __Host-segment=audience:customer`;

/** A 4 KB Cookie header as analytics and consent tools leave it, the site's login cookie last. */
export const fourKbCookie = (() => {
  const parts = [
    '_ga=GA1.1.1234567890.1700000000',
    `OptanonConsent=${'isGpcEnabled=0&datestamp=Mon+Jun+15+2026&version=202601.1.0&groups=C0001%3A1%2CC0002%3A1'.padEnd(600, 'x')}`,
  ];
  for (let i = 0; parts.join('; ').length < 4_000; i++) parts.push(`_hj_${i}=${'h'.repeat(60)}`);
  return `${parts.join('; ')}; session=abc123`;
})();

const manyParams = (() => {
  const q = new URLSearchParams();
  const item = Array.from({ length: 16 }, () => 'zz')
    .join(',')
    .padEnd(64, 'x')
    .slice(0, 64);
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

const pricing = (query: string, headers: Record<string, string>): Request =>
  new Request(`https://shop.example/pricing${query}`, { headers: { ...commonHeaders, ...headers } });

/** The five request shapes of issue 13, on the typical site, each a browser's full set of headers. */
export const shapes: Case[] = [
  { name: 'plain (no cookie, no query)', request: pricing('', {}), manifest: typical, platform: { country: 'DE' } },
  {
    name: 'utm (campaign link)',
    request: pricing('?utm_source=partner-portal&utm_medium=email', { cookie: '_ga=GA1.1.123.456; theme=dark' }),
    manifest: typical,
    platform: { country: 'US' },
  },
  {
    name: 'cookie choice (remembered)',
    request: pricing('', { cookie: '_ga=GA1.1.123.456; __Host-segment=audience:customer' }),
    manifest: typical,
    platform: { country: 'DE' },
  },
  { name: `4 KB Cookie header (${fourKbCookie.length} chars)`, request: pricing('', { cookie: fourKbCookie }), manifest: typical, platform: { country: 'DE' } },
  {
    name: 'GPC (Sec-GPC: 1, login cookie)',
    request: pricing('', { 'sec-gpc': '1', cookie: '_ga=GA1.1.123.456; session=abc123' }),
    manifest: typical,
    platform: { country: 'DE' },
  },
];

/** Beyond the five: a choice that writes the cookie, a page that is not personalized, and worst cases. */
export const cases: Case[] = [
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
  'threadCpuUsage' in process
    ? (since) => (process as unknown as { threadCpuUsage(p?: NodeJS.CpuUsage): NodeJS.CpuUsage }).threadCpuUsage(since)
    : (since) => process.cpuUsage(since);

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

/** The timer's own cost per timed call, in µs: what `measure` reports for a call that does nothing. */
export const timerOverhead = (): number => measure(() => undefined, { ms: 50, samples: 20_000, warmup: 1_000 }).p50;

/**
 * One request's decision as a host bundle makes it: lazy signals over the manifest compiled
 * at build (`decide` is the guarded router every adapter's decider amounts to).
 */
export function decision(c: Case): () => Decision | null {
  const compiled = compileManifest(c.manifest);
  return () => decide(new RequestSignals(c.request, compiled, c.platform, NOW), compiled);
}

/** The same decision as `astro dev`, the SSR middleware and the Node server make it: every signal read first. */
export const eagerDecision = (c: Case) => () => decide(readSignals(c.request, c.manifest, c.platform, NOW), c.manifest);

/** The hand-rolled router (typical site only), checked to give the same file and cookie as ours. */
export function handRolledDecision(c: Case): () => unknown {
  const ours = decision(c)();
  const theirs = handRolled(c.request, c.platform.country ?? '');
  if (ours?.path !== theirs?.path || ours?.setCookie !== theirs?.setCookie) {
    throw new Error(`hand-rolled router disagrees on "${c.name}": ${JSON.stringify(theirs)} vs ${JSON.stringify(ours)}`);
  }
  return () => handRolled(c.request, c.platform.country ?? '');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const timer = timerOverhead();
  console.log(`router bench, Node ${process.version}: one decision per request (timer overhead ${(timer * 1000).toFixed(0)} ns subtracted)\n`);
  for (const c of shapes) {
    const ours = measure(decision(c));
    const theirs = measure(handRolledDecision(c));
    console.log(
      `${c.name}\n  ours p50 ${(ours.p50 - timer).toFixed(2)} µs  p99 ${(ours.p99 - timer).toFixed(2)} µs   hand-rolled p50 ${(theirs.p50 - timer).toFixed(2)} µs   ratio ${((ours.p50 - timer) / (theirs.p50 - timer)).toFixed(2)}×`,
    );
  }
}
