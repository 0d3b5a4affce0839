/**
 * Serving over loopback: the Node server against a real static file server
 * (sirv) on the same file, against Astro's own on-demand rendering of the same
 * page, and the generated Worker against an assets-only Worker in workerd.
 * Every server runs in a process of its own, and so does the load generator
 * (serve/load.ts: wrk, or autocannon's command line), pinned apart where the
 * machine allows (serve/cpus.ts). All targets run in one
 * run, alternating: each round runs every target once, back to back, and the
 * order reverses every round, so load that drifts over a round hits both sides
 * of a comparison alike. Ratios are computed per round, then summarized.
 *
 *   node A        createSegmentsServer, /pricing/ (personalized: router → variant file)
 *   sirv A        sirv alone, the same variant file (/_segments/<hash>.html)
 *   sirv A′       a second sirv process, the same file: the A/A pair says how
 *                 small a difference this machine can resolve
 *   node B        createSegmentsServer, /about/ (not personalized: one lookup, then the static layer)
 *   sirv B        sirv alone, /about/
 *   ssr           Astro's on-demand rendering of the same page (@astrojs/node standalone)
 *   workerd A     the generated Worker (run first on /pricing/) → its variant file from ASSETS
 *   workerd B     an assets-only Worker, the same variant file
 *
 * Every target gets the same request headers (a browser's, with the site's login
 * cookie and country DE, `Accept-Encoding: identity` so every server sends the same
 * bytes) and must answer 200 with the same page. Besides requests/s and latency,
 * each run records the server process's CPU time per request, which moves less
 * than throughput when other work shares the machine.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '../../packages/edge/src/index.ts';
import { attribute, type Attribution } from '../lib/profile.ts';
import { cpuMs, freePort, startChild, stopChild } from '../lib/proc.ts';
import { fmt, fmtRange, pctRange, summarize, type Summary } from '../lib/stats.ts';
import type { Table } from '../lib/table.ts';
import { CHROME } from '../router.ts';
import { onCpu, pinningDescription, pinProcess, SERVER_CPU } from '../serve/cpus.ts';
import { load, loadDescription, type LoadRun } from '../serve/load.ts';
import { startWorkerd, type WorkerdSite } from '../serve/workerd.ts';

const NODE_SERVER = fileURLToPath(new URL('../serve/node-server.ts', import.meta.url));

export const REQUEST_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': CHROME,
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-GB,en;q=0.9,de;q=0.8',
  'accept-encoding': 'identity',
  referer: 'https://www.google.com/',
  cookie: '_ga=GA1.1.123456789.1700000000; theme=dark; ledgerly_session=3f9a2c7e',
  // The Node servers' trusted proxy header (the SSR site's middleware reads the same one); workerd uses request.cf.
  'x-bench-country': 'DE',
};
/** The variant the headers above select on /pricing (customer, eu). */
const VARIANT_KEY = 'customer/eu';

export type TargetId = 'nodePricing' | 'sirvPricing' | 'sirvPricingAgain' | 'nodeAbout' | 'sirvAbout' | 'ssr' | 'workerdRouter' | 'workerdAssets';

export const TARGET_LABELS: Readonly<Record<TargetId, string>> = {
  nodePricing: 'Node: createSegmentsServer, /pricing/ personalized',
  sirvPricing: 'Node: sirv, the same variant file',
  sirvPricingAgain: 'Node: sirv again, the same file (A/A)',
  nodeAbout: 'Node: createSegmentsServer, /about/ (not personalized)',
  sirvAbout: 'Node: sirv, /about/',
  ssr: 'Node: Astro on demand (@astrojs/node), /pricing/',
  workerdRouter: 'workerd: generated Worker, /pricing/ personalized',
  workerdAssets: 'workerd: assets-only Worker, the same variant file',
};

/** The comparisons the issue sets targets for, and the calibration pair. */
const COMPARISONS = [
  { name: 'Node server / sirv, personalized /pricing/ (same file)', x: 'nodePricing', y: 'sirvPricing', target: 0.95 },
  { name: 'Node server / sirv, /about/', x: 'nodeAbout', y: 'sirvAbout', target: 0.97 },
  { name: 'Node server / Astro on demand, /pricing/', x: 'nodePricing', y: 'ssr', target: 10 },
  { name: 'workerd: generated Worker / assets-only Worker (same file)', x: 'workerdRouter', y: 'workerdAssets', target: 0.95 },
  { name: 'sirv / sirv, the same file (A/A: the noise of this machine)', x: 'sirvPricing', y: 'sirvPricingAgain', target: undefined },
] as const satisfies readonly { name: string; x: TargetId; y: TargetId; target: number | undefined }[];

interface Target {
  readonly id: TargetId;
  readonly url: string;
  readonly pid: number | undefined;
}

export interface Sample {
  readonly round: number;
  readonly target: TargetId;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuUsPerRequest: number | undefined;
  readonly errors: number;
  readonly non2xx: number;
}

export interface TargetSummary {
  readonly id: TargetId;
  readonly label: string;
  readonly url: string;
  readonly bytes: number;
  readonly cacheControl: string;
  readonly rps: Summary;
  readonly p50: Summary;
  readonly p99: Summary;
  readonly cpuUsPerRequest: Summary | undefined;
}

export interface Ratio {
  readonly name: string;
  /** The goal for the throughput ratio (at least), when the issue sets one. */
  readonly target: number | undefined;
  /** Per round: numerator / denominator. */
  readonly throughput: Summary;
  /** Per round: CPU per request, numerator / denominator. */
  readonly cpu: Summary | undefined;
}

export interface ServeResult {
  readonly settings: { rounds: number; seconds: number; warmupSeconds: number; connections: number; loadGenerator: string; pinning: string };
  readonly targets: readonly TargetSummary[];
  readonly ratios: readonly Ratio[];
  readonly samples: readonly Sample[];
  readonly loadAverage: { before: readonly number[]; after: readonly number[] };
  readonly checks: readonly string[];
  /** Where the Node server's CPU goes on /pricing/, from a CPU profile: taken only when a Node target is missed. */
  readonly profile?: Attribution & { readonly requests: number; readonly seconds: number };
}

const inEdge = (f: { url: string }) => f.url.includes('/packages/edge/src/');
const inOurs = (folder: string, file?: string) => (f: { url: string }) =>
  f.url.includes(`/packages/astro-segments/src/${folder}/`) && (file === undefined || f.url.endsWith(`/${file}`));

/** Categories for the Node server's profile; the first found from the leaf up wins. */
export const NODE_CATEGORIES = [
  { name: 'router core: readSignals + decide (@astro-segments/edge)', match: inEdge },
  { name: 'per-request path: request view, decider (src/request)', match: inOurs('request') },
  { name: 'router middleware (server/index.ts)', match: inOurs('server', 'index.ts') },
  {
    name: 'static layer: find, codings, tags (server/static-layer.ts)',
    match: (f: { url: string }) => inOurs('server', 'static-layer.ts')(f) || inOurs('server', 'compression.ts')(f),
  },
  {
    name: 'sirv: lookup, headers, read stream',
    match: (f: { url: string }) => /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(?:sirv|@polka\/url|mrmime|totalist)\//.test(f.url),
  },
];

/** Start one server of serve/node-server.ts in its own process; resolves with its URL. */
async function startNode(kind: 'segments' | 'sirv', dist: string, nodeArgs: readonly string[] = []): Promise<{ child: ChildProcess; origin: string }> {
  const child = startChild(...onCpu(SERVER_CPU, process.execPath, [...nodeArgs, NODE_SERVER, kind, dist]));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    once(child, 'exit').then(() => {
      throw new Error(`${kind} server exited: ${stderr}`);
    }),
  ]);
  return { child, origin: `http://127.0.0.1:${(JSON.parse(first) as { port: number }).port}` };
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await (await fetch(url, { headers: REQUEST_HEADERS })).arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function startSsr(ssrDist: string): Promise<{ child: ChildProcess; origin: string }> {
  const port = await freePort();
  const child = startChild(...onCpu(SERVER_CPU, process.execPath, [join(ssrDist, 'server', 'entry.mjs')]), {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ASTRO_NODE_LOGGING: 'disabled' },
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`${origin}/pricing/`);
  return { child, origin };
}

/** Profile the Node server (its own process, started with --cpu-prof) while it serves `path`. */
async function profileNode(dist: string, path: string, seconds: number, connections: number) {
  const dir = join(dist, '..', `cpu-profile-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const spawned = performance.now();
  const node = await startNode('segments', dist, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const readyMs = performance.now() - spawned;
  try {
    const warm = await load(`${node.origin}${path}`, { seconds: 1, connections, headers: REQUEST_HEADERS });
    const run = await load(`${node.origin}${path}`, { seconds, connections, headers: REQUEST_HEADERS });
    await stopChild(node.child);
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no CPU profile written');
    return {
      ...attribute(join(dir, file), NODE_CATEGORIES, { other: 'Node: HTTP parsing, sockets, streams, fs, start-up', skipMs: readyMs }),
      requests: warm.requests + run.requests,
      seconds: seconds + 1,
    };
  } finally {
    await stopChild(node.child);
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runServe(options: { dist: string; ssrDist: string; quick: boolean }): Promise<ServeResult> {
  const { dist, ssrDist, quick } = options;
  const rounds = quick ? 2 : 10;
  const seconds = quick ? 1 : 2;
  const warmupSeconds = quick ? 1 : 2;
  const connections = 10;
  const manifest = JSON.parse(await readFile(join(dist, '_segments', 'manifest.json'), 'utf8')) as Manifest;
  const hash = manifest.routes['/pricing']?.variants[VARIANT_KEY];
  if (!hash) throw new Error(`the example's /pricing has no ${VARIANT_KEY} variant`);
  if (manifest.routes['/about']) throw new Error("the example's /about is personalized: it cannot stand for an unpersonalized page");

  const loadBefore = loadavg();
  const children: ChildProcess[] = [];
  const workerds: WorkerdSite[] = [];
  try {
    const start = async (kind: 'segments' | 'sirv') => {
      const server = await startNode(kind, dist);
      children.push(server.child);
      return server;
    };
    const [ours, sirvA, sirvB] = [await start('segments'), await start('sirv'), await start('sirv')];
    const ssr = await startSsr(ssrDist);
    children.push(ssr.child);
    const workerdRouter = await startWorkerd(dist, 'DE');
    workerds.push(workerdRouter);
    const workerdAssets = await startWorkerd(dist, 'DE', false);
    workerds.push(workerdAssets);
    for (const workerd of workerds) pinProcess(workerd.pid, SERVER_CPU);
    const targets: Target[] = [
      { id: 'nodePricing', url: `${ours.origin}/pricing/`, pid: ours.child.pid },
      { id: 'sirvPricing', url: `${sirvA.origin}/_segments/${hash}.html`, pid: sirvA.child.pid },
      { id: 'sirvPricingAgain', url: `${sirvB.origin}/_segments/${hash}.html`, pid: sirvB.child.pid },
      { id: 'nodeAbout', url: `${ours.origin}/about/`, pid: ours.child.pid },
      { id: 'sirvAbout', url: `${sirvA.origin}/about/`, pid: sirvA.child.pid },
      { id: 'ssr', url: `${ssr.origin}/pricing/`, pid: ssr.child.pid },
      { id: 'workerdRouter', url: `${workerdRouter.origin}/pricing/`, pid: workerdRouter.pid },
      // The assets layer answers /x.html with a redirect to /x: ask for /x, as the Worker does.
      { id: 'workerdAssets', url: `${workerdAssets.origin}/_segments/${hash}`, pid: workerdAssets.pid },
    ];

    // Every target answers 200; the pairs compared send the same bytes.
    const checks: string[] = [];
    const bodies = new Map<TargetId, { body: string; cacheControl: string }>();
    for (const t of targets) {
      const response = await fetch(t.url, { headers: REQUEST_HEADERS, redirect: 'manual' });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${t.id} ${t.url}: status ${response.status}`);
      const pricing = t.id !== 'nodeAbout' && t.id !== 'sirvAbout';
      if (pricing && (!body.includes('€45') || !body.includes('You are on a Ledgerly plan'))) throw new Error(`${t.id}: not the customer/eu pricing page`);
      bodies.set(t.id, { body, cacheControl: response.headers.get('cache-control') ?? '' });
    }
    const same = (x: TargetId, y: TargetId) => {
      const ok = bodies.get(x)!.body === bodies.get(y)!.body;
      checks.push(`${x} and ${y} send the same ${bodies.get(x)!.body.length} bytes: ${ok ? 'yes' : 'NO'}`);
      if (!ok) throw new Error(`${x} and ${y} differ`);
    };
    same('nodePricing', 'sirvPricing');
    same('nodeAbout', 'sirvAbout');
    same('nodePricing', 'workerdRouter');
    same('workerdRouter', 'workerdAssets');
    checks.push(`ssr sends ${bodies.get('ssr')!.body.length} bytes (the static variant adds canonical, noindex and segment labels)`);
    for (const t of targets) if (t.pid === undefined) checks.push(`${t.id}: process not found, no CPU time`);
    checks.push(`load generator: ${loadDescription()}; ${pinningDescription()}`);

    for (const t of targets) await load(t.url, { seconds: warmupSeconds, connections, headers: REQUEST_HEADERS });

    const samples: Sample[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...targets].reverse() : targets;
      for (const t of order) {
        const cpuBefore = t.pid === undefined ? undefined : cpuMs(t.pid);
        const r: LoadRun = await load(t.url, { seconds, connections, headers: REQUEST_HEADERS });
        const cpuAfter = t.pid === undefined ? undefined : cpuMs(t.pid);
        samples.push({
          round,
          target: t.id,
          rps: r.rps,
          p50: r.p50,
          p99: r.p99,
          cpuUsPerRequest: cpuBefore === undefined || cpuAfter === undefined || r.requests === 0 ? undefined : ((cpuAfter - cpuBefore) * 1000) / r.requests,
          errors: r.errors,
          non2xx: r.non2xx,
        });
        process.stdout.write('.');
      }
    }
    process.stdout.write('\n');
    const failed = samples.filter((s) => s.errors > 0 || s.non2xx > 0);
    for (const s of failed) checks.push(`round ${s.round} ${s.target}: ${s.errors} errors, ${s.non2xx} non-2xx responses`);

    const of = (id: TargetId) => samples.filter((s) => s.target === id);
    const summaries: TargetSummary[] = targets.map((t) => {
      const s = of(t.id);
      const cpu = s.map((x) => x.cpuUsPerRequest).filter((x): x is number => x !== undefined);
      return {
        id: t.id,
        label: TARGET_LABELS[t.id],
        url: t.url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''),
        bytes: bodies.get(t.id)!.body.length,
        cacheControl: bodies.get(t.id)!.cacheControl,
        rps: summarize(s.map((x) => x.rps)),
        p50: summarize(s.map((x) => x.p50)),
        p99: summarize(s.map((x) => x.p99)),
        cpuUsPerRequest: cpu.length === s.length ? summarize(cpu) : undefined,
      };
    });
    const ratios: Ratio[] = COMPARISONS.map(({ name, x, y, target }) => {
      const per = Array.from({ length: rounds }, (_, round) => {
        const a = samples.find((s) => s.round === round && s.target === x)!;
        const b = samples.find((s) => s.round === round && s.target === y)!;
        return { rps: a.rps / b.rps, cpu: a.cpuUsPerRequest && b.cpuUsPerRequest ? a.cpuUsPerRequest / b.cpuUsPerRequest : undefined };
      });
      const cpu = per.map((p) => p.cpu).filter((v): v is number => v !== undefined);
      return { name, target, throughput: summarize(per.map((p) => p.rps)), cpu: cpu.length === rounds ? summarize(cpu) : undefined };
    });
    const loadAfter = loadavg();
    // Where the time goes, once, when the Node server misses a target.
    const missed = ratios.slice(0, 3).some((r) => r.target !== undefined && r.throughput.median < r.target);
    const profile = missed ? await profileNode(dist, '/pricing/', quick ? 2 : 6, connections) : undefined;
    return {
      ...(profile && { profile }),
      settings: { rounds, seconds, warmupSeconds, connections, loadGenerator: loadDescription(), pinning: pinningDescription() },
      targets: summaries,
      ratios,
      samples,
      loadAverage: { before: loadBefore, after: loadAfter },
      checks,
    };
  } finally {
    for (const workerd of workerds) await workerd.stop();
    for (const child of children) await stopChild(child);
  }
}

/** The tables and the verdicts of a serving run. */
export function reportServe(r: ServeResult, out: { show(table: Table): void; log(line: string): void; verdict(line: string): void }): void {
  const st = r.settings;
  for (const c of r.checks) out.log(c);
  out.show({
    title: `Serving over loopback: ${st.loadGenerator}, ${st.connections} connections, ${st.seconds} s per run, ${st.rounds} rounds alternating all targets, ${st.pinning} (median, range)`,
    head: ['target', 'path', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'bytes'],
    right: [2, 3, 4, 5, 6],
    rows: r.targets.map((t) => [
      t.label,
      t.url.length > 32 ? `${t.url.slice(0, 29)}…` : t.url,
      fmtRange(t.rps),
      fmt(t.p50.median, 2),
      fmt(t.p99.median, 2),
      t.cpuUsPerRequest ? fmtRange(t.cpuUsPerRequest, 1) : '–',
      fmt(t.bytes),
    ]),
    note: `Load average before ${r.loadAverage.before.map((n) => n.toFixed(2)).join(' / ')}, after ${r.loadAverage.after.map((n) => n.toFixed(2)).join(' / ')}.`,
  });
  out.show({
    title: 'Serving ratios, computed per round then summarized (median, range)',
    head: ['comparison', 'throughput ratio', 'throughput change', 'CPU/request ratio', 'target (req/s)'],
    right: [1, 2, 3, 4],
    rows: r.ratios.map((x) => [
      x.name,
      fmtRange(x.throughput, 3),
      pctRange(summarize(x.throughput.values.map((v) => v - 1))),
      x.cpu ? fmtRange(x.cpu, 3) : '–',
      x.target === undefined ? '–' : `≥ ${x.target}×`,
    ]),
  });
  if (r.profile) {
    const p = r.profile;
    out.show({
      title: `Where the Node server's CPU goes on /pricing/ (a target was missed): a CPU profile of its process, ${p.seconds} s, ${fmt(p.requests)} requests`,
      head: ['part of the request', 'share of busy CPU', '≈ µs per request'],
      right: [1, 2],
      rows: p.shares.map((x) => [x.name, `${(x.share * 100).toFixed(1)} %`, fmt((x.ms * 1000) / p.requests, 1)]),
      note: 'Profiler time, inflated alike for every part by the profiler and the machine’s load.',
    });
  }
  // The A/A pair is two identical servers: how far apart its rounds land is the smallest difference this run can tell.
  const aa = r.ratios.find((x) => x.target === undefined)!;
  const noise = Math.max(1 - aa.throughput.min, aa.throughput.max - 1);
  for (const x of r.ratios) {
    if (x.target === undefined) continue;
    const median = x.throughput.median;
    const met = median >= x.target;
    const rounds = `median of ${st.rounds} alternating rounds, rounds ${fmt(x.throughput.min, 3)}–${fmt(x.throughput.max, 3)}`;
    const cpu = x.cpu ? `; CPU per request ${fmt(x.cpu.median, 3)}×` : '';
    // A ratio near 1 is resolved when this run can tell 5 % apart: its rounds and the A/A pair both within ±5 %.
    const nearOne = x.target < 2;
    const spread = (x.throughput.max - x.throughput.min) / 2;
    const resolved = !nearOne || (st.rounds >= 5 && Math.max(spread, noise) <= 0.05);
    const verdict = !resolved ? `NOT RESOLVED (${met ? 'median meets it' : 'median misses it'})` : met ? 'MET' : 'NOT MET';
    const limit = resolved
      ? ''
      : ` — this run cannot resolve it: rounds spread ±${(spread * 100).toFixed(1)} %, sirv A/A ±${(noise * 100).toFixed(1)} % (two cores shared by the load generator, the server and the machine's other work)`;
    out.verdict(`${verdict}: ${x.name}: ${fmt(median, nearOne ? 3 : 1)}× the requests/s (${rounds})${cpu}. Target ≥ ${x.target}×${limit}.`);
  }
}
