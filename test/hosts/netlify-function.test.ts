/**
 * The Netlify edge function under Netlify's own edge bootstrap
 * (@netlify/edge-functions-dev, in Deno), beyond the conformance table:
 *
 * - its declaration keeps other methods away from it (Netlify's matcher reads
 *   `method`), and never asks Netlify's CDN to cache its responses;
 * - once it has called `context.next()` with a variant file's request, every
 *   way on ends in a Response it built: a failure after that call, or of the
 *   origin itself, never lets the bootstrap carry on with the variant's request
 *   (which would send the raw variant file, with its own headers, to the public URL).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EdgeFunctionsHandler } from '@netlify/edge-functions-dev';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST } from './cases.ts';
import { buildOutputs, type BuiltOutputs } from './runtimes/build-outputs.ts';
import { startNetlifyOrigin, type NetlifyOrigin } from './runtimes/netlify-origin.ts';

const DENO_DIR = dirname(createRequire(import.meta.url).resolve('deno/package.json'));
const NETLIFY = new URL('../../packages/edge/src/netlify.ts', import.meta.url).pathname;

/**
 * A function built from the real adapter whose decision breaks after the variant was fetched:
 * a header value the Fetch API refuses, so building the response throws.
 */
const FAULTY = `import { netlifyHandler } from ${JSON.stringify(NETLIFY)};
const manifest = ${JSON.stringify(MANIFEST)};
const decider = () => ({ route: '/pricing', values: { audience: 'customer' }, path: '/_segments/c0ffee01.html', headers: { 'Cache-Control': 'private\\u0000' } });
export default netlifyHandler(manifest, decider);
export const config = { path: ['/pricing/'], method: ['GET', 'HEAD'], onError: 'bypass' };
`;

function handlerFor(directory: string): EdgeFunctionsHandler {
  return new EdgeFunctionsHandler({
    configDeclarations: [],
    directories: [directory],
    env: {},
    geolocation: {} as never,
    logger: { log: () => {}, warn: () => {}, error: () => {} } as never,
  });
}

let outputs: BuiltOutputs;
let root: string;
let generated: EdgeFunctionsHandler;
let faulty: EdgeFunctionsHandler;
let origin: NetlifyOrigin;
let failingOrigin: NetlifyOrigin;
let id = 0;

const request = (method: string, path: string, headers: Record<string, string> = {}) =>
  new Request(`http://localhost:8888${path}`, { method, headers: { 'x-nf-request-id': `fn-${++id}`, ...headers } });

beforeAll(async () => {
  if (!process.env.PATH?.split(':').includes(DENO_DIR)) process.env.PATH = `${DENO_DIR}:${process.env.PATH ?? ''}`;
  outputs = await buildOutputs(['netlify']);
  root = outputs.sites.main.root;
  generated = handlerFor(join(root, '.netlify/v1/edge-functions'));
  const faultyDir = join(root, 'faulty-edge-functions');
  await mkdir(faultyDir, { recursive: true });
  await writeFile(join(root, 'faulty.js'), FAULTY);
  await build({
    entryPoints: [join(root, 'faulty.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: join(faultyDir, 'astro-segments.js'),
    logLevel: 'silent',
  });
  faulty = handlerFor(faultyDir);
  origin = await startNetlifyOrigin(outputs.sites.main.dist);
  failingOrigin = await startNetlifyOrigin(outputs.sites.main.dist, { fails: (pathname) => pathname === '/pricing/' });
}, 120_000);

afterAll(async () => {
  await Promise.all([generated, faulty].map((h) => h?.stop()));
  await origin?.stop();
  await failingOrigin?.stop();
  await outputs?.remove();
});

describe('the generated Netlify declaration', () => {
  it('runs the function for GET and HEAD on a personalized path, and never for another method', async () => {
    expect(await generated.match(request('GET', '/pricing/'))).toBeDefined();
    expect(await generated.match(request('HEAD', '/pricing/'))).toBeDefined();
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) expect(await generated.match(request(method, '/pricing/')), method).toBeUndefined();
    expect(await generated.match(request('GET', '/docs/'))).toBeUndefined();
  });

  it("never opts into Netlify's CDN cache for the function (no `cache: 'manual'`)", async () => {
    const { config } = (await import(pathToFileURL(join(root, '.netlify/v1/edge-functions/astro-segments.js')).href)) as { config: Record<string, unknown> };
    expect(config).toEqual({ path: expect.any(Array), method: ['GET', 'HEAD'], onError: 'bypass' });
  });
});

describe('after context.next() with the variant file', () => {
  it('a failure while building the response serves the public file, not the variant file', async () => {
    const req = request('GET', '/pricing/');
    const response = await (await faulty.match(req))!.handle(req, origin.url);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toMatch(/marker:pricing-default/);
    expect(response.headers.get('x-robots-tag')).toBeNull();
  });

  it('a failing origin gets an explicit, uncacheable answer from the function, never the variant file', async () => {
    const req = request('GET', '/pricing/');
    const response = await (await faulty.match(req))!.handle(req, failingOrigin.url);
    const body = await response.text();
    expect(body).not.toMatch(/marker:pricing-customer/);
    expect([response.status, response.headers.get('cache-control')]).toEqual([502, 'private, no-store']);
  });
});

afterAll(async () => {
  if (root) await rm(join(root, 'faulty.js'), { force: true });
});
