/**
 * A bounded load run against one runtime harness (test/hosts/runtimes): a
 * fixed number of concurrent clients send a mix of visitor profiles for a
 * fixed time. Every answer is checked against what its profile must get
 * (status, page marker, Set-Cookie), every 25th also for any trace of the
 * planted secret. Memory is read before and after, each time after a full
 * garbage collection in this process (where the Node server runs) and from
 * /proc for the runtime's own processes (workerd).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { plant, type Case, type Runtime } from '../../hosts/cases.ts';

export interface Profile {
  readonly name: string;
  readonly request: Omit<Case, 'name' | 'expect'>;
  /** `marker:<name>` in the body, or null for an empty body (HEAD). */
  readonly marker: string | null;
  readonly setCookie: string | null;
}

const chosen = (value: string) => `segment=${value}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax`;
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** What visitors send, on the test/hosts site: each profile knows the one right answer. */
export const PROFILES: readonly Profile[] = [
  { name: 'anonymous', request: { url: '/pricing/' }, marker: 'pricing-default', setCookie: null },
  { name: 'customer (login cookie)', request: { url: '/pricing/', headers: { cookie: 'session=abc' } }, marker: 'pricing-customer', setCookie: null },
  { name: 'chooses partner', request: { url: '/pricing/?segment=partner' }, marker: 'pricing-partner', setCookie: chosen('audience:partner') },
  { name: 'remembers partner', request: { url: '/pricing/', headers: { cookie: 'segment=audience:partner' } }, marker: 'pricing-partner', setCookie: null },
  { name: 'partner campaign', request: { url: '/pricing/?utm_source=PartnerHub' }, marker: 'pricing-partner', setCookie: null },
  {
    name: 'crawler with a login cookie',
    request: { url: '/pricing/', headers: { 'user-agent': GOOGLEBOT, cookie: 'session=abc' } },
    marker: 'pricing-default',
    setCookie: null,
  },
  {
    name: 'GPC with a login cookie',
    request: { url: '/pricing/', headers: { 'sec-gpc': '1', cookie: 'session=abc' } },
    marker: 'pricing-default',
    setCookie: null,
  },
  { name: 'EU visitor', request: { url: '/offers/', country: 'DE' }, marker: 'offers-eu', setCookie: null },
  { name: 'EU customer at home', request: { url: '/', country: 'FR', headers: { cookie: 'session=abc' } }, marker: 'home-customer-eu', setCookie: null },
  { name: 'HEAD as a customer', request: { url: '/pricing/', method: 'HEAD', headers: { cookie: 'session=abc' } }, marker: null, setCookie: null },
  { name: 'look-alike choice', request: { url: '/pricing/?segment=%D1%81ustomer' }, marker: 'pricing-default', setCookie: null },
  {
    name: 'missing variant file',
    request: { url: '/pricing/', headers: { referer: 'https://www.news.example/' } },
    marker: 'pricing-default',
    setCookie: null,
  },
  { name: 'page without variants', request: { url: '/docs/?segment=customer' }, marker: 'docs', setCookie: null },
];

export interface Memory {
  /** Resident set of this process, bytes. */
  readonly rss: number;
  /** V8 heap in use in this process after a full GC, bytes. */
  readonly heapUsed: number;
  /** Memory outside the V8 heap held by JS objects (buffers) after a full GC, bytes. */
  readonly external: number;
  /** Resident set of the runtime's own processes (workerd), bytes; 0 when it runs in this process. */
  readonly runtimeRss: number;
}

export interface LoadResult {
  readonly target: string;
  readonly seconds: number;
  readonly concurrency: number;
  readonly requests: number;
  /** Thrown fetches and 5xx answers. */
  readonly errors: number;
  /** Answers that were not exactly what the profile must get. */
  readonly wrong: number;
  readonly privacyChecked: number;
  /** Whether answers were checked against their profiles. */
  readonly verified: boolean;
  readonly examples: readonly string[];
  readonly before: Memory;
  readonly after: Memory;
  readonly perProfile: Readonly<Record<string, number>>;
}

let collect: (() => void) | undefined;
/** A full garbage collection, so heap numbers compare retained memory only. */
function gc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  collect();
}

/** Resident set of every descendant of this process whose command is `name`, from /proc. */
export function descendantRss(name: string): number {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
      parents.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const [pid, command] of names) {
    if (command !== name || !isDescendant(pid)) continue;
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      // Gone.
    }
  }
  return total;
}

function memory(runtimeProcess: string | undefined): Memory {
  gc();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external, runtimeRss: runtimeProcess ? descendantRss(runtimeProcess) : 0 };
}

export interface LoadOptions {
  /** How long the measured run lasts. */
  readonly seconds: number;
  /** Stop after this many measured requests instead (a baseline run matched to another run). */
  readonly requests?: number;
  /** Check every answer against its profile (off for a baseline that does not personalize). @default true */
  readonly verify?: boolean;
  readonly concurrency?: number;
  /** Command name of the runtime's own processes, for their memory (e.g. `workerd`). */
  readonly runtimeProcess?: string;
  /** Requests per client before the measured run, so JIT and caches settle before `before`. */
  readonly warmup?: number;
}

export async function runLoad(target: string, runtime: Runtime, options: LoadOptions): Promise<LoadResult> {
  const concurrency = options.concurrency ?? 16;
  const token = randomBytes(16).toString('hex');
  const planted = PROFILES.map((profile) => ({
    profile,
    request: () => plant({ ...profile.request, name: profile.name, expect: {} as Case['expect'] } as Case, token),
  }));
  let requests = 0;
  let errors = 0;
  let wrong = 0;
  let privacyChecked = 0;
  const examples: string[] = [];
  const perProfile: Record<string, number> = {};

  const one = async (index: number, counted: boolean) => {
    const { profile, request } = planted[index % planted.length]!;
    let failure: string | undefined;
    try {
      const answer = await runtime.fetch(request());
      if (answer.status >= 500) {
        if (counted) errors++;
        failure = `${profile.name}: status ${answer.status}`;
      } else {
        const marker = answer.body === '' ? null : (answer.body.match(/marker:([\w-]+)/)?.[1] ?? answer.body.slice(0, 40));
        const cookies = answer.headers.getSetCookie();
        const right =
          answer.status === 200 && marker === profile.marker && JSON.stringify(cookies) === JSON.stringify(profile.setCookie ? [profile.setCookie] : []);
        if (!right && options.verify !== false) {
          if (counted) wrong++;
          failure = `${profile.name}: ${answer.status} ${marker} ${cookies.join(' | ')}`;
        }
        if (counted && requests % 25 === 0) {
          privacyChecked++;
          const everything = `${[...answer.headers].join('\n')}\n${answer.body}`;
          if (everything.includes(token) || everything.includes(token.slice(0, 8))) {
            wrong++;
            failure = `${profile.name}: request data in the response`;
          }
        }
      }
    } catch (error) {
      if (counted) errors++;
      failure = `${profile.name}: ${(error as Error).message}`;
    }
    if (counted) {
      requests++;
      perProfile[profile.name] = (perProfile[profile.name] ?? 0) + 1;
    }
    if (failure && examples.length < 5) examples.push(failure);
  };

  // Warm up: every profile through every client, uncounted.
  const warmup = options.warmup ?? 5;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      for (let i = 0; i < warmup; i++) await one(client + i, false);
    }),
  );
  examples.length = 0;

  const before = memory(options.runtimeProcess);
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  let issued = 0;
  const more = () => (options.requests === undefined ? Date.now() < deadline : issued < options.requests);
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      for (let i = client; more(); i += concurrency) {
        issued++;
        await one(i, true);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const after = memory(options.runtimeProcess);
  return { target, seconds, concurrency, requests, errors, wrong, privacyChecked, verified: options.verify !== false, examples, before, after, perProfile };
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

export function describeResult(r: LoadResult): string {
  const memoryLine = (label: string, key: keyof Memory) => `${label} ${mb(r.before[key])} → ${mb(r.after[key])}`;
  return [
    `load ${r.target}: ${r.requests} requests in ${r.seconds.toFixed(1)} s with ${r.concurrency} clients (${Math.round(r.requests / r.seconds)}/s), ${r.errors} errors, ` +
      (r.verified ? `${r.wrong} wrong answers (${r.privacyChecked} also checked for request data)` : 'answers not checked'),
    `  memory: ${memoryLine('test-process heap after GC', 'heapUsed')}, ${memoryLine('external', 'external')}, ${memoryLine('RSS', 'rss')}${r.after.runtimeRss ? `, ${memoryLine('workerd RSS', 'runtimeRss')}` : ''}`,
    ...(r.examples.length ? [`  first failures: ${r.examples.join('; ')}`] : []),
  ].join('\n');
}
