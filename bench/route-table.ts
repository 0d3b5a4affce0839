/**
 * What a large site's route table (@astro-segments/edge's packed.ts) costs per
 * request, next to the same routes as an object (what a small site's bundle
 * holds): one decision as the host bundle makes it, for a URL that is not
 * personalized (the table is searched and finds nothing) and for a personalized
 * one (found and unpacked on its first request, kept after), in one process,
 * the two forms alternating in each round. Also the first request for a page on
 * its own: the search and the unpacking, once. Plain output, no thresholds; per-call
 * times have the timer's own cost subtracted.
 *
 *   npx -y pnpm@12.21.0 exec node bench/route-table.ts [manifest.json]
 *
 * The manifest defaults to the large bench site's, which `npx -y pnpm@12.21.0 bench
 * --only build` writes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileManifest, packRoutes, type CompiledManifest } from '../packages/edge/src/compile.ts';
import { decide, RequestSignals, type Manifest } from '../packages/edge/src/index.ts';
import { findRoute } from '../packages/edge/src/packed.ts';
import { commonHeaders, measure, NOW, timerOverhead } from './router.ts';
import { fmt, median } from './lib/stats.ts';

const file = process.argv[2] ?? fileURLToPath(new URL('./.generated/large-with/dist/_segments/manifest.json', import.meta.url));
const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const compiled = compileManifest(manifest);
const keys = Object.keys(compiled.routes).sort();

/** The routes as a small site's bundle has them: an object, parsed at start (a JSON round trip). */
const asObject = (): CompiledManifest => JSON.parse(JSON.stringify(compiled)) as CompiledManifest;
/** As a large site's bundle has them (bundle-entry.ts): the rest parsed, the routes one table. */
const asTable = (): CompiledManifest => {
  const { routes, ...rest } = packRoutes(compiled);
  return { ...(JSON.parse(JSON.stringify(rest)) as CompiledManifest), routes: { ...routes } };
};

const platform = { country: 'DE' };
const at = (path: string) => new Request(`https://site.example${path}`, { headers: { ...commonHeaders, cookie: '_ga=GA1.1.123.456; session=abc' } });
const middle = keys[keys.length >> 1]!;
const requests = [
  { name: 'not personalized (/blog/some-post)', request: at('/blog/some-post') },
  { name: `not personalized, sorting among the routes (${middle}x)`, request: at(`${middle}x/`) },
  { name: `personalized, the middle route (${middle})`, request: at(`${middle}/`) },
  { name: `personalized, the last route (${keys.at(-1)})`, request: at(`${keys.at(-1)}/`) },
];

const range = (values: number[]) => `${fmt(Math.min(...values), 2)}–${fmt(Math.max(...values), 2)}`;
const ROUNDS = 5;
const timer = timerOverhead();

console.log(`route table bench, Node ${process.version}: ${fmt(keys.length)} routes from ${file}`);
console.log(`one decision per request, µs, median of ${ROUNDS} rounds' medians (range); timer overhead ${fmt(timer * 1000, 0)} ns subtracted\n`);
for (const { name, request } of requests) {
  const object = asObject();
  const table = asTable();
  const decision = (m: CompiledManifest) => () => decide(new RequestSignals(request, m, platform, NOW), m);
  const expected = JSON.stringify(decision(object)());
  if (JSON.stringify(decision(table)()) !== expected) throw new Error(`the table decides otherwise than the object on ${name}`);
  const times: { object: number[]; table: number[] } = { object: [], table: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const pair = [
      () => times.object.push(measure(decision(object), { ms: 300, samples: 20_000 }).p50 - timer),
      () => times.table.push(measure(decision(table), { ms: 300, samples: 20_000 }).p50 - timer),
    ];
    for (const run of round % 2 ? pair.reverse() : pair) run();
  }
  console.log(
    `${name}\n  routes as an object ${fmt(median(times.object), 2)} µs (${range(times.object)})   route table ${fmt(median(times.table), 2)} µs (${range(times.table)})   difference ${fmt(median(times.table) - median(times.object), 2)} µs`,
  );
}

// A page's first request: the search that finds it and its unpacking, on a table that has kept nothing yet.
const { routes } = asTable();
const firsts: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let n = 0;
  firsts.push(measure(() => findRoute({ ...routes }, keys[(n = (n + 7919) % keys.length)]!), { ms: 300, samples: 20_000 }).p50 - timer);
}
console.log(
  `\na page's first request: search and unpack one route (a fresh copy of the routes object each call), µs\n  ${fmt(median(firsts), 2)} (${range(firsts)})`,
);
