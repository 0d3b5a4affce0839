/**
 * The router's cold start: the time a fresh Worker takes before it can answer,
 * with the site's manifest inlined, against the same Worker with a one-route
 * manifest; the difference between the two is what the manifest costs.
 *
 * Two ways. In workerd (a fresh Miniflare instance per sample): start until
 * ready, then the first request. workerd's own start takes hundreds of
 * milliseconds that vary by as much, so this resolves large costs only
 * (inside a Worker, clocks do not move while code runs, so the Worker cannot
 * time itself). And in V8 itself, the engine workerd runs, in a fresh Node
 * process per sample, timed around exactly the Worker's start and its first
 * `fetch`, two ways: Node importing the Worker's file (reading and decoding it,
 * then compiling and running its top level, the manifest included), and V8
 * compiling and running the module from a source already in memory, as workerd
 * holds a Worker's modules. The first pays for Node's reading of a large file
 * too, about 1 ms per 100 kB, which workerd does not.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';
import type { Manifest } from '../../packages/edge/src/index.ts';
import { bundleEntry } from '../../packages/astro-segments/src/hosts/bundle-entry.ts';
import { FALLBACK_COMPATIBILITY_DATE } from '../../packages/astro-segments/src/hosts/write-cloudflare.ts';
import { summarize, type Summary } from '../lib/stats.ts';

export interface ColdStart {
  readonly routes: number;
  readonly samples: number;
  /** In V8 (fresh Node process each): import of the module, and its first fetch, ms. */
  readonly v8: {
    readonly importMs: { readonly site: Summary; readonly small: Summary; readonly difference: number };
    readonly firstFetchMs: { readonly site: Summary; readonly small: Summary; readonly difference: number };
  };
  /**
   * The same with the module's source already in memory, as workerd holds a Worker's modules:
   * compiled and evaluated by V8 (`vm.SourceTextModule`), without Node reading and decoding
   * the file, which takes Node about 1 ms per 100 KB.
   */
  readonly v8FromMemory: {
    readonly importMs: { readonly site: Summary; readonly small: Summary; readonly difference: number };
    readonly firstFetchMs: { readonly site: Summary; readonly small: Summary; readonly difference: number };
  };
  /** Start until ready, ms: with the site's manifest, with a one-route one, and the difference of medians. */
  readonly readyMs: { readonly site: Summary; readonly small: Summary; readonly difference: number };
  /** First request after ready, ms. */
  readonly firstRequestMs: { readonly site: Summary; readonly small: Summary; readonly difference: number };
}

async function once(script: string, path: string): Promise<{ ready: number; first: number }> {
  const start = performance.now();
  const mf = new Miniflare({
    modules: true,
    scriptPath: script,
    compatibilityDate: FALLBACK_COMPATIBILITY_DATE,
    // The variant file and the public page answer from an in-memory stand-in for ASSETS.
    serviceBindings: { ASSETS: () => new Response('<!doctype html><p>page</p>', { headers: { 'content-type': 'text/html' } }) },
  });
  await mf.ready;
  const ready = performance.now() - start;
  const requested = performance.now();
  const response = await mf.dispatchFetch(`http://localhost${path}`);
  await response.text();
  const first = performance.now() - requested;
  await mf.dispose();
  return { ready, first };
}

/**
 * A probe for a fresh Node process: `before` runs first, untimed; `start` is the code that
 * gives `worker` (the Worker module's default export) from `file`, timed; then its first
 * fetch, timed. Node's fetch
 * classes load on first use (workerd's are built in): they are loaded before the clock
 * starts, so the first fetch times the Worker, not them.
 */
const probe = (before: string, start: string) => `
const [file, path] = process.argv.slice(1);
${before}
await new Response(new Request('https://site.example/').body).text();
const startedAt = performance.now();
${start}
const imported = performance.now() - startedAt;
const env = { ASSETS: { fetch: async () => new Response('<p>page</p>', { headers: { 'content-type': 'text/html' } }) } };
const requested = performance.now();
await (await worker.fetch(new Request('https://site.example' + path), env)).text();
process.stdout.write(JSON.stringify({ imported, fetched: performance.now() - requested }));
`;

/** Node imports the Worker's file: reads and decodes it, then compiles and runs it. */
const NODE_IMPORT = probe('', 'const worker = (await import(file)).default;');

/** V8 compiles and runs the module from a source read before the clock, as workerd holds it. */
const FROM_MEMORY = probe(
  `const { readFileSync } = await import('node:fs');
const { SourceTextModule } = await import('node:vm');
const source = readFileSync(new URL(file), 'utf8');`,
  `const module = new SourceTextModule(source, { identifier: file });
await module.link(() => {
  throw new Error('the Worker imports nothing');
});
await module.evaluate();
const worker = module.namespace.default;`,
);

type Probe = (script: string, path: string) => Promise<{ imported: number; fetched: number }>;

/** Run `code` in a fresh Node process over the Worker `script`, asking for `path`. */
const inNode =
  (code: string, flags: readonly string[] = []): Probe =>
  async (script, path) => {
    const args = [...flags, '--input-type=module', '-e', code, pathToFileURL(resolve(script)).href, path];
    const { stdout } = await promisify(execFile)(process.execPath, args);
    return JSON.parse(stdout) as { imported: number; fetched: number };
  };

const inV8 = inNode(NODE_IMPORT);
const fromMemory = inNode(FROM_MEMORY, ['--experimental-vm-modules', '--no-warnings']);

export async function coldStart(manifest: Manifest, folder: string, samples: number): Promise<ColdStart> {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const [route, entry] = Object.entries(manifest.routes)[0]!;
  const small: Manifest = { ...manifest, routes: { [route]: entry } };
  const siteScript = join(folder, 'site.js');
  const smallScript = join(folder, 'small.js');
  await writeFile(siteScript, await bundleEntry('cloudflare', manifest));
  await writeFile(smallScript, await bundleEntry('cloudflare', small));
  const site: { ready: number; first: number }[] = [];
  const one: { ready: number; first: number }[] = [];
  await once(smallScript, route); // warm the workerd binary and the file cache
  for (let i = 0; i < samples; i++) {
    // Alternate, so a drift of the machine touches both alike.
    if (i % 2 === 0) site.push(await once(siteScript, route)), one.push(await once(smallScript, route));
    else one.push(await once(smallScript, route)), site.push(await once(siteScript, route));
  }
  const both = (a: readonly number[], b: readonly number[]) => {
    const [x, y] = [summarize(a), summarize(b)];
    return { site: x, small: y, difference: x.median - y.median };
  };
  const probed = async (probe: Probe) => {
    const withSite: { imported: number; fetched: number }[] = [];
    const withOne: { imported: number; fetched: number }[] = [];
    await probe(smallScript, route);
    for (let i = 0; i < samples * 4; i++) {
      const pair = [() => probe(siteScript, route).then((r) => withSite.push(r)), () => probe(smallScript, route).then((r) => withOne.push(r))];
      for (const run of i % 2 === 0 ? pair : pair.reverse()) await run();
    }
    return {
      importMs: both(
        withSite.map((r) => r.imported),
        withOne.map((r) => r.imported),
      ),
      firstFetchMs: both(
        withSite.map((r) => r.fetched),
        withOne.map((r) => r.fetched),
      ),
    };
  };
  const v8 = await probed(inV8);
  const v8FromMemory = await probed(fromMemory);
  const ready = { site: summarize(site.map((s) => s.ready)), small: summarize(one.map((s) => s.ready)) };
  const first = { site: summarize(site.map((s) => s.first)), small: summarize(one.map((s) => s.first)) };
  return {
    routes: Object.keys(manifest.routes).length,
    samples,
    v8,
    v8FromMemory,
    readyMs: { ...ready, difference: ready.site.median - ready.small.median },
    firstRequestMs: { ...first, difference: first.site.median - first.small.median },
  };
}
