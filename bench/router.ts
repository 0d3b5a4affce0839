/**
 * Router micro-benchmark: readSignals + decide per request, URL and cookie
 * parsing included (the Request object itself is built once, as the host
 * hands it over). Plain output, no thresholds: budgets live in the tests.
 *
 *   npx -y pnpm@12.21.0 exec node bench/router.ts
 */
import { decide, readSignals, type Manifest, type Platform } from '../packages/edge/src/index.ts';

const NOW = Date.UTC(2026, 5, 15);
const hash = (i: number) => (0x1000000 + i).toString(16).padStart(12, 'a');

const typical: Manifest = {
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
const wide: Manifest = (() => {
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

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36';
const commonHeaders = { 'user-agent': CHROME, 'accept-language': 'en-US,en;q=0.9,de;q=0.8', referer: 'https://www.google.com/' };

/** A Cookie header well over the 4096-character bound, made of many small cookies. */
const hugeCookie = Array.from({ length: 400 }, (_, i) => `_ga_${i}=GA1.1.${1_000_000 + i}.${1_700_000_000 + i}`).join('; ') + '; session=1; __Host-segment=audience:customer';

const manyParams = (() => {
  const q = new URLSearchParams();
  const item = Array.from({ length: 16 }, () => 'zz').join(',').padEnd(64, 'x').slice(0, 64);
  for (let i = 0; i < 8; i++) q.append('segment', item), q.append('segment-preview', item);
  for (const k of ['source', 'medium', 'campaign', 'term', 'content']) q.append(`utm_${k}`, 'u'.repeat(128));
  for (let i = 0; i < 200; i++) q.append(`p${i}`, 'v'.repeat(20));
  return q.toString();
})();

interface Case {
  name: string;
  request: Request;
  manifest: Manifest;
  platform: Platform;
}
const cases: Case[] = [
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
    name: `max-size Cookie header (${hugeCookie.length} chars → 4096)`,
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

function run(c: Case): void {
  const once = () => decide(readSignals(c.request, c.manifest, c.platform, NOW), c.manifest);
  for (let i = 0; i < 5_000; i++) once(); // warm up the JIT
  // Throughput: batches, no per-call timer.
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1_000) {
    for (let i = 0; i < 500; i++) once();
    n += 500;
  }
  const perSecond = n / ((performance.now() - start) / 1_000);
  // Latency: each call timed on its own.
  const samples = new Float64Array(20_000);
  for (let i = 0; i < samples.length; i++) {
    const t = process.hrtime.bigint();
    once();
    samples[i] = Number(process.hrtime.bigint() - t) / 1_000;
  }
  samples.sort();
  const at = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  const d = once();
  console.log(
    `${c.name}\n  ${Math.round(perSecond).toLocaleString('en-US')} decisions/s   p50 ${at(0.5).toFixed(1)} µs   p99 ${at(0.99).toFixed(1)} µs   → ${d ? (d.path ?? 'default file') : 'pass through'}`,
  );
}

console.log(`router bench, Node ${process.version}, readSignals + decide per request\n`);
for (const c of cases) run(c);
