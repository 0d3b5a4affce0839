/**
 * 2 + 3. Serving over loopback, bounded autocannon runs, alternating targets
 * inside one run (A and B of each pair back to back, the order reversed every
 * round), repeated:
 *
 *   node A   createSegmentsServer, personalized public URL (/pricing/ → a variant file)
 *   node B   the same variant file from the same static layer, no router
 *   node C   the same variant file through createSegmentsServer (router passes it through)
 *   node M   for scale: a minimal readFile server, same file (no path checks, no streams)
 *   ssr      the same page rendered per request by Astro (@astrojs/node standalone + middleware)
 *   workerd A  the generated Worker (run first on /pricing/) → ASSETS variant file
 *   workerd B  the same variant file from the assets layer, no Worker invoked
 *
 * Every target gets the same request headers (a browser's, with the site's login
 * cookie and country DE) and must answer 200 with the same page. Besides
 * requests/s and latency, each run records the server process's CPU time per
 * request, which moves less than throughput when other work shares the machine.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Manifest } from '../../packages/edge/src/index.ts';
import { attribute, type Attribution } from '../lib/profile.ts';
import { cpuMs, freePort, startChild, stopChild } from '../lib/proc.ts';
import { summarize, type Summary } from '../lib/stats.ts';
import { CHROME } from '../router.ts';
import { startWorkerd, type WorkerdSite } from '../serve/workerd.ts';

const NODE_SERVERS = fileURLToPath(new URL('../serve/node-servers.ts', import.meta.url));

export const REQUEST_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': CHROME,
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-GB,en;q=0.9,de;q=0.8',
  'accept-encoding': 'identity',
  referer: 'https://www.google.com/',
  cookie: '_ga=GA1.1.123456789.1700000000; theme=dark; ledgerly_session=3f9a2c7e',
  // The Node servers' trusted proxy header (the SSR middleware reads the same one); workerd uses request.cf.
  'x-bench-country': 'DE',
};
/** The variant the headers above select on /pricing (customer, eu). */
const VARIANT_KEY = 'customer/eu';

export type TargetId = 'nodeRouter' | 'nodeStatic' | 'nodePassthrough' | 'nodeMinimal' | 'ssr' | 'workerdRouter' | 'workerdStatic';

export const TARGET_LABELS: Readonly<Record<TargetId, string>> = {
  nodeRouter: 'Node: createSegmentsServer, /pricing/ personalized (A)',
  nodeStatic: 'Node: same variant file, static layer without router (B)',
  nodePassthrough: 'Node: same variant file via createSegmentsServer (router passes through)',
  nodeMinimal: 'Node: same variant file, minimal readFile server (for scale)',
  ssr: 'Node: Astro SSR (@astrojs/node standalone + middleware), /pricing/',
  workerdRouter: 'workerd: generated Worker, /pricing/ personalized (A)',
  workerdStatic: 'workerd: same variant file from assets, no Worker (B)',
};

interface Target {
  readonly id: TargetId;
  readonly url: string;
  readonly pid: () => number | undefined;
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
  /** Per round: numerator / denominator. */
  readonly throughput: Summary;
  /** Per round: CPU per request, numerator / denominator. */
  readonly cpu: Summary | undefined;
}

export interface ServeResult {
  readonly settings: { rounds: number; seconds: number; warmupSeconds: number; connections: number; pipelining: number };
  readonly targets: readonly TargetSummary[];
  readonly ratios: readonly Ratio[];
  readonly samples: readonly Sample[];
  readonly loadAverage: { before: readonly number[]; after: readonly number[] };
  readonly checks: readonly string[];
  /** Where the Node server's CPU goes while serving A, from a CPU profile (shares of busy samples). */
  readonly profile?: Attribution & { readonly requests: number; readonly seconds: number };
}

const inEdge = (file: string) => (f: { url: string }) => f.url.includes('/packages/edge/src/') && f.url.endsWith(file);
const inServer = (file: string) => (f: { url: string }) => f.url.includes('/packages/astro-segments/src/server/') && f.url.endsWith(file);

/** Categories for the Node server's profile; the first found from the leaf up wins. */
export const NODE_CATEGORIES = [
  { name: 'router: readSignals + decide', match: (f: { url: string }) => ['signals.ts', 'decide.ts', 'cookie.ts', 'bots.ts'].some((x) => inEdge(x)(f)) },
  { name: 'router: serve() (new Response around the file, headers)', match: inEdge('serve.ts') },
  { name: 'static layer: find, stat, open, read the file', match: inServer('static-files.ts') },
  { name: 'response: copy headers, pipe the body (send)', match: (f: { url: string; functionName: string }) => inServer('index.ts')(f) && f.functionName === 'send' },
  { name: 'Node adapter: Headers + Request from the incoming message', match: inServer('index.ts') },
];

/** Profile the Node server (its own process, started with --cpu-prof) while it serves `path` on A. */
async function profileNode(dist: string, path: string, seconds: number, connections: number) {
  const dir = join(dist, '..', `cpu-profile-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const spawned = performance.now();
  const node = await startNodeServers(dist, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const readyMs = performance.now() - spawned;
  try {
    const warm = await cannon(`${node.a}${path}`, 1, connections);
    const r = await cannon(`${node.a}${path}`, seconds, connections);
    await stopChild(node.child);
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no CPU profile written');
    return { ...attribute(join(dir, file), NODE_CATEGORIES, { other: 'other: HTTP parsing, sockets, stream plumbing, start-up', skipMs: readyMs }), requests: warm.requests.total + r.requests.total, seconds: seconds + 1 };
  } finally {
    await stopChild(node.child);
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { headers: REQUEST_HEADERS });
      await response.arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function startNodeServers(dist: string, nodeArgs: readonly string[] = []): Promise<{ child: ChildProcess; a: string; b: string; m: string }> {
  const child = startChild(process.execPath, [...nodeArgs, NODE_SERVERS, dist]);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    once(child, 'exit').then(() => {
      throw new Error(`node servers exited: ${stderr}`);
    }),
  ]);
  const ports = JSON.parse(first) as { a: number; b: number; m: number };
  const at = (port: number) => `http://127.0.0.1:${port}`;
  return { child, a: at(ports.a), b: at(ports.b), m: at(ports.m) };
}

async function startSsr(ssrDist: string): Promise<{ child: ChildProcess; origin: string }> {
  const port = await freePort();
  const child = startChild(process.execPath, [join(ssrDist, 'server', 'entry.mjs')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ASTRO_NODE_LOGGING: 'disabled' },
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`${origin}/pricing/`);
  return { child, origin };
}

function cannon(url: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({ url, connections, pipelining: 1, duration: seconds, headers: { ...REQUEST_HEADERS }, timeout: 10 });
}

export async function runServe(options: { dist: string; ssrDist: string; quick: boolean }): Promise<ServeResult> {
  const { dist, ssrDist, quick } = options;
  const rounds = quick ? 2 : 10;
  const seconds = quick ? 1 : 2;
  const warmupSeconds = quick ? 1 : 3;
  const connections = 10;
  const manifest = JSON.parse(await readFile(join(dist, '_segments', 'manifest.json'), 'utf8')) as Manifest;
  const hash = manifest.routes['/pricing']?.variants[VARIANT_KEY];
  if (!hash) throw new Error(`the example's /pricing has no ${VARIANT_KEY} variant`);

  const loadBefore = (await import('node:os')).loadavg();
  const node = await startNodeServers(dist);
  const ssr = await startSsr(ssrDist);
  let workerd: WorkerdSite | undefined;
  try {
    workerd = await startWorkerd(dist, 'DE');
    const w = workerd;
    const targets: Target[] = [
      { id: 'nodeRouter', url: `${node.a}/pricing/`, pid: () => node.child.pid },
      { id: 'nodeStatic', url: `${node.b}/_segments/${hash}.html`, pid: () => node.child.pid },
      { id: 'nodePassthrough', url: `${node.a}/_segments/${hash}.html`, pid: () => node.child.pid },
      { id: 'nodeMinimal', url: `${node.m}/_segments/${hash}.html`, pid: () => node.child.pid },
      { id: 'ssr', url: `${ssr.origin}/pricing/`, pid: () => ssr.child.pid },
      { id: 'workerdRouter', url: `${w.origin}/pricing/`, pid: () => w.pid },
      // The assets layer answers /x.html with a redirect to /x: ask for /x, as the Worker does.
      { id: 'workerdStatic', url: `${w.origin}/_segments/${hash}`, pid: () => w.pid },
    ];

    // Every target answers 200 with the page the headers select; A and B send the same bytes.
    const checks: string[] = [];
    const bodies = new Map<TargetId, { body: string; cacheControl: string }>();
    for (const t of targets) {
      const response = await fetch(t.url, { headers: REQUEST_HEADERS, redirect: 'manual' });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${t.id} ${t.url}: status ${response.status}`);
      if (!body.includes('€45') || !body.includes('You are on a Ledgerly plan')) throw new Error(`${t.id}: not the customer/eu pricing page`);
      bodies.set(t.id, { body, cacheControl: response.headers.get('cache-control') ?? '' });
    }
    const same = (x: TargetId, y: TargetId) => {
      const ok = bodies.get(x)!.body === bodies.get(y)!.body;
      checks.push(`${x} and ${y} send the same ${bodies.get(x)!.body.length} bytes: ${ok ? 'yes' : 'NO'}`);
      if (!ok) throw new Error(`${x} and ${y} differ`);
    };
    same('nodeRouter', 'nodeStatic');
    same('nodeRouter', 'nodeMinimal');
    same('nodeRouter', 'workerdRouter');
    same('workerdRouter', 'workerdStatic');
    checks.push(`ssr sends ${bodies.get('ssr')!.body.length} bytes (the static variant adds canonical, noindex and segment labels)`);
    if (workerd.pid === undefined) checks.push('workerd process not found: no CPU time for workerd');

    for (const t of targets) await cannon(t.url, warmupSeconds, connections);

    const samples: Sample[] = [];
    for (let round = 0; round < rounds; round++) {
      // Each A/B pair runs back to back, and the order reverses every round (A B … B A), so
      // load that drifts over a round hits both sides of a pair alike.
      const order = round % 2 ? [...targets].reverse() : targets;
      for (const t of order) {
        const pid = t.pid();
        const cpuBefore = pid === undefined ? undefined : cpuMs(pid);
        const r = await cannon(t.url, seconds, connections);
        const cpuAfter = pid === undefined ? undefined : cpuMs(pid);
        const total = r.requests.total;
        samples.push({
          round,
          target: t.id,
          rps: total / r.duration,
          p50: r.latency.p50,
          p99: r.latency.p99,
          cpuUsPerRequest: cpuBefore === undefined || cpuAfter === undefined || total === 0 ? undefined : ((cpuAfter - cpuBefore) * 1000) / total,
          errors: r.errors + r.timeouts,
          non2xx: r.non2xx,
        });
        process.stdout.write('.');
      }
    }
    process.stdout.write('\n');

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
    const ratio = (name: string, x: TargetId, y: TargetId): Ratio => {
      const per = Array.from({ length: rounds }, (_, round) => {
        const a = samples.find((s) => s.round === round && s.target === x)!;
        const b = samples.find((s) => s.round === round && s.target === y)!;
        return { rps: a.rps / b.rps, cpu: a.cpuUsPerRequest && b.cpuUsPerRequest ? a.cpuUsPerRequest / b.cpuUsPerRequest : undefined };
      });
      const cpu = per.map((p) => p.cpu).filter((x): x is number => x !== undefined);
      return { name, throughput: summarize(per.map((p) => p.rps)), cpu: cpu.length === rounds ? summarize(cpu) : undefined };
    };
    const ratios = [
      ratio('Node: router / static (A/B)', 'nodeRouter', 'nodeStatic'),
      ratio('Node: router / router pass-through (A/C)', 'nodeRouter', 'nodePassthrough'),
      ratio('Node: pass-through / static (C/B)', 'nodePassthrough', 'nodeStatic'),
      ratio('Node: static layer / minimal readFile server (B/M)', 'nodeStatic', 'nodeMinimal'),
      ratio('workerd: Worker / assets only (A/B)', 'workerdRouter', 'workerdStatic'),
      ratio('ours (Node A) / Astro SSR', 'nodeRouter', 'ssr'),
      ratio('ours (workerd A) / Astro SSR', 'workerdRouter', 'ssr'),
    ];
    const loadAfter = (await import('node:os')).loadavg();
    const profile = await profileNode(dist, '/pricing/', quick ? 2 : 6, connections);
    return {
      profile,
      settings: { rounds, seconds, warmupSeconds, connections, pipelining: 1 },
      targets: summaries,
      ratios,
      samples,
      loadAverage: { before: loadBefore, after: loadAfter },
      checks,
    };
  } finally {
    await workerd?.stop();
    await stopChild(node.child);
    await stopChild(ssr.child);
  }
}
