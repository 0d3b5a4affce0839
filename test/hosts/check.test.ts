/**
 * `astro-segments check <url>` against deployments of one site built by real
 * Astro with every host output: it passes on the Node server (over HTTP, through
 * the real CLI) and on each host harness (Vercel's routing, Netlify's edge
 * bootstrap, Cloudflare's assets in workerd), and fails, saying what to fix, on
 * deliberately broken ones: the former Vercel route order, a proxy that strips
 * Cache-Control, and nginx caching by URL in front of the Node server.
 */
import { execFile } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDeployment, formatReport, type Fetch } from '../../packages/astro-segments/src/check/index.ts';
import { createSegmentsServer } from '../../packages/astro-segments/src/server/index.ts';
import { buildCase } from '../utils/case-site.ts';
import { startCachingProxy, type CachingProxy } from '../adversarial/cache/nginx.ts';
import type { Runtime } from './cases.ts';
import type { BuiltOutputs } from './runtimes/build-outputs.ts';
import { startDeno } from './runtimes/deno.ts';
import { startVercel } from './runtimes/vercel.ts';
import { formerOrder } from './runtimes/vercel-former-order.ts';
import { startWorkerd } from './runtimes/workerd.ts';

const run = promisify(execFile);
const CLI = new URL('../../packages/astro-segments/src/check/cli.ts', import.meta.url).pathname;

const CONFIG = `import { defineConfig } from 'astro/config';
import segments from 'astro-segments';

export default defineConfig({
  site: 'https://ledgerly.example',
  integrations: [
    segments({
      dimensions: {
        audience: {
          default: 'prospect',
          values: {
            customer: { when: { cookie: 'session' }, relationship: true },
            partner: { when: { utm_source: 'partnerhub' } },
            prospect: {},
          },
        },
        region: { default: 'other', values: { eu: { when: { country: ['DE', 'FR'] } }, other: {} } },
      },
      hosts: ['netlify', 'vercel', 'cloudflare'],
    }),
  ],
});
`;

const page = (title: string, dims: string, blocks: string) => `---
title: ${title}
segments:
  dimensions: [${dims}]
  purpose: Show each visitor the plan that fits
  kpi: Sign-ups
---

# ${title}

${blocks}
`;

const FILES = {
  'astro.config.mjs': CONFIG,
  'src/pages/index.md': '# Home\n',
  'src/pages/pricing.md': page(
    'Pricing',
    'audience',
    ':::segment{audience="customer"}\nUpgrade your plan.\n:::\n\n:::segment{audience="partner"}\nPartner pricing.\n:::\n\n:::segment{otherwise}\nStart your free trial.\n:::',
  ),
  'src/pages/offers.md': page('Offers', 'region', ':::segment{region="eu"}\nPrices in euros.\n:::\n\n:::segment{otherwise}\nPrices in dollars.\n:::'),
};

/** A harness as the check's fetch: the request goes through the host's runtime and proxy model. */
const viaHarness =
  (runtime: Runtime): Fetch =>
  async (url, init) => {
    const answer = await runtime.fetch({ method: init.method, url, headers: new Headers(init.headers), country: undefined, site: 'main' });
    const empty = init.method === 'HEAD' || answer.status === 304 || answer.status === 204;
    return new Response(empty ? null : answer.body, { status: answer.status, headers: answer.headers });
  };

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};
const close = async (server: Server | undefined) => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
};

/** A proxy in front of `upstream` that removes Cache-Control from every response. */
function strippingProxy(upstream: string): Server {
  return createServer((req, res) => {
    const forward = httpRequest(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      const headers = { ...answer.headers };
      delete headers['cache-control'];
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
}

let root: string;
let outputs: BuiltOutputs;
let node: Server;
let nodeUrl: string;
let stripper: Server | undefined;
let nginx: CachingProxy | undefined;

beforeAll(async () => {
  const built = await buildCase('coexist-i18n', 'check', FILES, { configFile: 'astro.config.mjs' });
  if (built.error) throw built.error;
  root = built.root;
  outputs = { sites: { main: { root, dist: join(root, 'dist') } } as BuiltOutputs['sites'], warnings: [], remove: async () => {} };
  node = createSegmentsServer({ dir: join(root, 'dist') });
  nodeUrl = await listen(node);
}, 180_000);

afterAll(async () => {
  await close(node);
  await close(stripper);
  await nginx?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

const failures = (results: Awaited<ReturnType<typeof checkDeployment>>['results']) => results.filter((result) => result.problems.length > 0);

describe('astro-segments check passes on a deployment that keeps the promises', () => {
  it('the Node server, through the CLI over HTTP', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'check', nodeUrl]);
    expect(stdout).toMatch(/All \d+ checks passed\./);
    // It covered what the issue lists, per route.
    for (const title of [
      'plain visit',
      'choice audience:customer',
      'remembered choice audience:customer',
      'rule 1 of audience:partner with Global Privacy Control',
      'crawler',
      'reset',
      'turn 1 of',
      'variant file /_segments/',
    ])
      expect(stdout).toContain(title);
  }, 60_000);

  it.each([
    ['Vercel (edge runtime, config.json routing)', () => startVercel({ outputs })],
    ["Netlify (Deno, Netlify's edge bootstrap)", () => startDeno({ outputs })],
    ['Cloudflare (workerd, the assets binding)', () => startWorkerd({ outputs })],
  ])(
    '%s',
    async (_, start) => {
      const runtime = await start();
      try {
        const { results } = await checkDeployment('https://ledgerly.example/', { fetch: viaHarness(runtime) });
        expect(failures(results), formatReport('harness', results).text).toEqual([]);
        expect(results.some((result) => result.title.startsWith('plain visit with the validator'))).toBe(true);
      } finally {
        await runtime.stop();
      }
    },
    120_000,
  );
});

describe('astro-segments check fails, with the fix, on a broken deployment', () => {
  it('Vercel with the former route order: the public URL answers immutable', async () => {
    const runtime = await startVercel({ outputs, config: formerOrder });
    try {
      const { results } = await checkDeployment('https://ledgerly.example/', { fetch: viaHarness(runtime) });
      const text = formatReport('former order', results).text;
      const failed = failures(results);
      expect(failed.length, text).toBeGreaterThan(0);
      expect(text).toMatch(/✗ remembered choice audience:customer\n\s+Cache-Control is "public, max-age=31536000, immutable", not private/);
      expect(text).toContain("on Vercel: the variant files' header routes come before the router's route");
    } finally {
      await runtime.stop();
    }
  }, 120_000);

  it('a proxy that strips Cache-Control, through the CLI: exit code 1 and what to fix', async () => {
    stripper = strippingProxy(nodeUrl);
    const url = await listen(stripper);
    const failed = await run(process.execPath, [CLI, 'check', url]).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/✗ plain visit\n\s+the response has no Cache-Control\.\n\s+Fix: Something removes the router's `Cache-Control: private`/);
    expect(failed?.stdout).toMatch(/\d+ of \d+ checks failed\./);
  }, 60_000);

  it("nginx caching by URL in front of the Node server: visitors get each other's page", async () => {
    nginx = await startCachingProxy({ upstream: new URL(nodeUrl).host, ignoreCacheControl: true });
    const { results } = await checkDeployment(nginx.origin);
    const text = formatReport('nginx', results).text;
    expect(text).toMatch(/✗ turn \d of \d on one URL: .*\n\s+served .*, expected .* \(from a cache: x-cache: HIT\)/);
    expect(text).toContain("The host's cache (or a CDN in front of it) stores this personalized URL by URL");
  }, 60_000);

  it('says when it cannot read the manifest, with exit code 2', async () => {
    const failed = await run(process.execPath, [CLI, 'check', `${nodeUrl}/nothing-here/`, '--manifest', '/nope/manifest.json']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(/cannot read the manifest at http:\/\/127\.0\.0\.1:\d+\/nope\/manifest\.json: answered 404\nDeploy the whole build output/);
  });
});
