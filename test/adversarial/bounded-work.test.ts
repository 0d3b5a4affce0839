/**
 * Bounded work per request, shown without timing: the router only ever looks
 * at a capped prefix of each unbounded input, so a 1 MB input gets exactly the
 * decision of its capped prefix: `readSignals` reduces both to the same facts,
 * and `decide`, a pure function of those facts, does the same work on them
 * (counted as manifest reads, calls of the string, map and regexp operations
 * it uses, and array elements visited). Reading the request itself is the
 * runtime's URL and header parsing, linear in the request size, which every
 * host caps (see the limits in hostile-cases.ts). The hostile table runs 1 MB inputs through the in-process
 * runtimes; the other runtimes refuse them before the router runs.
 *
 * The caps (packages/edge/src/signals.ts): 16 KiB of Cookie header, 16
 * Accept-Language entries, 8 values of 64 characters per choice parameter,
 * utm values of 128 characters. The path and the Referer host are not capped
 * by the router: each is parsed once by the URL parser and compared a fixed
 * number of times (once per rule that reads it), so their cost is linear in
 * what the host accepts (16–100 KB, see hostile-cases.ts).
 */
import { decide, readSignals, type Decision, type Manifest } from '@astro-segments/edge';
import { describe, expect, it } from 'vitest';
import { MANIFEST } from '../hosts/cases.ts';
import { extraManifests } from './sites.ts';

/** The table's `hostile` site: rules read cookies, utm_source, the Referer and Accept-Language. */
const manifest = extraManifests(MANIFEST).hostile;
const MB = 1_000_000;

function request(query: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://site.test/pricing/${query}`, { headers });
}

/** Calls of the operations the router's per-request work is made of, while `work` runs. */
function countOperations<T>(work: () => T): { result: T; operations: number; manifestReads: number } {
  let operations = 0;
  const patched: [object, string, (...args: never[]) => unknown][] = [];
  const patch = (target: object, name: string) => {
    const original = (target as Record<string, (...args: never[]) => unknown>)[name]!;
    patched.push([target, name, original]);
    (target as Record<string, unknown>)[name] = function (this: unknown, ...args: never[]) {
      operations++;
      return original.apply(this, args);
    };
  };
  for (const name of ['get', 'has', 'set']) patch(Map.prototype, name);
  for (const name of ['split', 'trim', 'toLowerCase', 'slice', 'includes', 'startsWith', 'endsWith', 'indexOf']) patch(String.prototype, name);
  for (const name of ['test', 'exec']) patch(RegExp.prototype, name);
  // Array methods count every element they visit.
  for (const name of ['filter', 'map', 'flatMap', 'some', 'every', 'find', 'findIndex', 'forEach', 'includes', 'join']) {
    const original = (Array.prototype as unknown as Record<string, (...args: never[]) => unknown>)[name]!;
    patched.push([Array.prototype, name, original]);
    (Array.prototype as unknown as Record<string, unknown>)[name] = function (this: unknown[], ...args: never[]) {
      operations += 1 + this.length;
      return original.apply(this, args);
    };
  }
  try {
    const result = work();
    return { result, operations, manifestReads: 0 };
  } finally {
    for (const [target, name, original] of patched.reverse()) (target as Record<string, unknown>)[name] = original;
  }
}

/** A manifest that counts every property read, however deep. */
function counting(value: Manifest): { manifest: Manifest; reads: () => number } {
  let reads = 0;
  const cache = new WeakMap<object, object>();
  const wrap = (target: object): object => {
    if (!cache.has(target)) {
      cache.set(
        target,
        new Proxy(target, {
          get(t, key, receiver) {
            reads++;
            const v = Reflect.get(t, key, receiver) as unknown;
            return typeof v === 'object' && v !== null ? wrap(v) : v;
          },
        }),
      );
    }
    return cache.get(target)!;
  };
  return { manifest: wrap(value) as Manifest, reads: () => reads };
}

const NOW = Date.UTC(2026, 5, 15);
const signalsOf = (req: Request) => readSignals(req, manifest, { country: 'de' }, NOW);

/** The decision on a request's facts, with the work it took. */
function measure(req: Request): { decision: Decision | null; operations: number; manifestReads: number; signalsSize: number } {
  const signals = signalsOf(req);
  const { manifest: watched, reads } = counting(manifest);
  const { result, operations } = countOperations(() => decide(signals, watched));
  return { decision: result, operations, manifestReads: reads(), signalsSize: JSON.stringify(signals).length };
}

/** Each pair: a request at the router's cap, and the same request with about 1 MB more of that input. */
const PAIRS: Record<string, [capped: Request, huge: Request]> = {
  'Cookie header (16 KiB read)': (() => {
    const start = 'session=1; segment=audience:partner; pad=';
    const head = `${start}${'a'.repeat(16384 - start.length)}`;
    return [request('', { cookie: head }), request('', { cookie: `${head}; segment=audience:customer; ${'x=1; '.repeat(MB / 5)}` })];
  })(),
  'Cookie header full of tiny cookies': (() => {
    const head = `${'a=1;'.repeat(4096)}`.slice(0, 16384);
    return [request('', { cookie: head }), request('', { cookie: `${head}${'a=1;'.repeat(MB / 4)} session=1` })];
  })(),
  'stored choice with thousands of entries': (() => {
    const entries = 'audience:astronaut|'.repeat(16384 / 19);
    return [
      request('', { cookie: `segment=${entries}`.slice(0, 16384) }),
      request('', { cookie: `segment=${entries}${'audience:x|'.repeat(MB / 11)}audience:partner` }),
    ];
  })(),
  'Accept-Language (16 entries read)': (() => {
    const head = `${'xx;q=0.1,'.repeat(15)}en;q=0.2`;
    return [request('', { 'accept-language': head }), request('', { 'accept-language': `${head},${'tr,'.repeat(MB / 3)}` })];
  })(),
  'choice parameter (8 values read)': (() => {
    const head = `${'segment=astronaut&'.repeat(7)}segment=${'x'.repeat(64)}`;
    return [request(`?${head}`), request(`?${head}&${'segment=customer&'.repeat(MB / 17)}`)];
  })(),
  'comma list in one choice value (64 characters read)': [request(`?segment=${'x,'.repeat(32)}x`), request(`?segment=${'x,'.repeat(MB / 2)}customer`)],
  'preview parameter (8 values read)': (() => {
    const head = `${'segment-preview=astronaut&'.repeat(8)}`;
    return [request(`?${head}`), request(`?${head}${'segment-preview=partner&'.repeat(MB / 24)}`)];
  })(),
  'utm_source (128 characters read)': [request(`?utm_source=${'p'.repeat(129)}`), request(`?utm_source=partnerhub${'p'.repeat(MB)}`)],
};

describe('bounded work: a 1 MB input is decided like its capped prefix', () => {
  it.each(Object.entries(PAIRS))('%s: same facts, same decision, same operations, same manifest reads', (_, [capped, huge]) => {
    expect(signalsOf(huge)).toEqual(signalsOf(capped));
    const small = measure(capped);
    const big = measure(huge);
    expect(big.decision).toEqual(small.decision);
    expect(big.operations).toBe(small.operations);
    expect(big.manifestReads).toBe(small.manifestReads);
  });

  it('keeps the facts it reads under 17 KB, whatever the request size', () => {
    const everything = request(`?${'segment=customer&'.repeat(MB / 17)}utm_source=${'p'.repeat(MB)}`, {
      cookie: `session=1; ${'x=1; '.repeat(MB / 5)}`,
      'accept-language': 'tr,'.repeat(MB / 3),
      'user-agent': `Mozilla/5.0 ${'x'.repeat(MB)}`,
    });
    expect(measure(everything).signalsSize).toBeLessThan(17_000);
  });

  it('bounds the operations of the worst request at the caps (a fixed number, printed)', () => {
    // Every capped input at its cap at once: 8 choice and preview values of 64 characters, 16 KiB
    // of stored entries, 16 language entries.
    const item = `audience:${'x'.repeat(55)}`;
    const worst = request(`?${`segment=${item}&segment-preview=${item}&`.repeat(8)}utm_source=${'p'.repeat(128)}`, {
      cookie: `segment=${'audience:astronaut|'.repeat(910)}`.slice(0, 16384),
      'accept-language': `${'xx;q=0.1,'.repeat(15)}en`,
      referer: 'https://www.news.example/',
    });
    const { operations, manifestReads } = measure(worst);
    process.stdout.write(`bounded work: the worst capped request costs ${operations} operations and ${manifestReads} manifest reads in decide()\n`);
    // About 900 stored entries, each split, checked and looked up, plus the rest: a few
    // thousand. Work proportional to a 1 MB input would be in the millions.
    expect(operations).toBeGreaterThan(900);
    expect(operations).toBeLessThan(20_000);
    expect(manifestReads).toBeLessThan(2_000);
  });

  it('reads only the host of a 1 MB Referer: same facts as a short one', () => {
    const short = request('', { referer: 'https://www.news.example/' });
    const long = request('', { referer: `https://www.news.example/${'p'.repeat(MB)}?${'q'.repeat(MB)}` });
    expect(signalsOf(long)).toEqual(signalsOf(short));
    expect(measure(long)).toEqual(measure(short));
  });

  it('compares a 1 MB Referer host a fixed number of times (once per rule that reads it)', () => {
    const short = measure(request('', { referer: 'https://www.news.example/' }));
    const long = measure(request('', { referer: `https://${'a'.repeat(MB)}.news.example/` }));
    expect(long.decision?.values).toEqual({ audience: 'press' });
    expect(long.decision).toEqual(short.decision);
    expect(long.operations).toBe(short.operations);
  });

  it('passes a 1 MB path that is no route through after one lookup', () => {
    const long = measure(new Request(`http://site.test/${'p/'.repeat(MB / 2)}`));
    expect(long.decision).toBeNull();
    expect(long.manifestReads).toBeLessThan(10);
  });
});
