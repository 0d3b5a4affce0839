/**
 * A Cloudflare site with on-demand pages deploys as one Worker. Built by real
 * Astro with @astrojs/cloudflare (a prerendered personalized page, an on-demand
 * page, an on-demand endpoint reading `locals.segments`), then run the way a user
 * runs it: the real `wrangler` (the adapter's pinned version, its workerd) with
 * no `--config`, so it finds the adapter's output config through
 * `.wrangler/deploy/config.json` exactly as `wrangler deploy` does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '@astro-segments/edge';
import { buildCase } from '../utils/case-site.ts';
import { PRICING_MD } from './case-sites.ts';
import { FIXTURES } from '../utils/fixture.ts';
import { freePort } from '../adversarial/cache/nginx.ts';

// The static coexistence fixture's own config (the Cloudflare adapter, one audience dimension);
// the on-demand pages below are what give it a server Worker.
const CONFIG = readFileSync(join(FIXTURES, 'coexist-cloudflare/astro.config.mjs'), 'utf8');

const FILES = {
  'astro.config.mjs': CONFIG,
  'src/pages/index.md': '# Home\n',
  'src/pages/pricing.md': PRICING_MD,
  'src/pages/hello.astro': `---
export const prerender = false;
---
<html><body><h1>Hello on demand</h1></body></html>
`,
  'src/pages/api/audience.json.ts': `export const prerender = false;
export function GET({ locals }) {
  return new Response(JSON.stringify({ audience: locals.segments?.audience ?? null }), { headers: { 'content-type': 'application/json' } });
}
`,
};

// The adapter's own wrangler (its peer), whose workerd matches the compatibility date the adapter writes.
const ADAPTER = realpathSync(join(FIXTURES, 'coexist-cloudflare/node_modules/@astrojs/cloudflare/package.json'));
const WRANGLER = join(dirname(createRequire(ADAPTER).resolve('wrangler/package.json')), 'bin/wrangler.js');
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };

let root: string;
let dryRun: string;
let wrangler: ChildProcess | undefined;
let origin: string;
let log = '';

/** Run wrangler to completion; resolves with its exit code and output. */
function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: root, env: ENV });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** `wrangler dev` on a free port, ready when it answers (a readiness check, not a timing assertion). */
async function startDev(): Promise<void> {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // Its own process group, so workerd (its child) stops with it.
  wrangler = spawn(process.execPath, [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', String(port)], { cwd: root, env: ENV, detached: true });
  wrangler.stdout!.on('data', (chunk) => (log += chunk));
  wrangler.stderr!.on('data', (chunk) => (log += chunk));
  for (let attempt = 0; attempt < 600; attempt++) {
    if (wrangler.exitCode !== null) break;
    if (log.includes('Ready on')) {
      const ok = await fetch(`${origin}/`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`wrangler dev did not start:\n${log}`);
}

beforeAll(async () => {
  const built = await buildCase('coexist-cloudflare', 'one-worker', FILES, { configFile: 'astro.config.mjs' });
  if (built.error) throw built.error;
  root = built.root;
  dryRun = await mkdtemp(join(tmpdir(), 'segments-wrangler-dry-'));
  await startDev();
}, 240_000);

afterAll(async () => {
  if (wrangler?.pid && wrangler.exitCode === null) {
    const exited = new Promise((resolve) => wrangler!.once('exit', resolve));
    process.kill(-wrangler.pid, 'SIGTERM');
    await exited;
  }
  if (dryRun) await rm(dryRun, { recursive: true, force: true });
  if (root) await rm(root, { recursive: true, force: true });
});

describe('@astrojs/cloudflare with on-demand pages', () => {
  it("puts the router inside the adapter's Worker, run first on the personalized paths, and writes no second Worker", async () => {
    const config = JSON.parse(await readFile(join(root, 'dist/server/wrangler.json'), 'utf8'));
    expect(config.main).toBe('_astro-segments.mjs');
    expect(config.assets).toMatchObject({ binding: 'ASSETS', run_worker_first: ['/pricing/'] });
    expect(await readFile(join(root, 'dist/server/_astro-segments.mjs'), 'utf8')).toMatch(/from\s*"\.\/entry\.mjs"/);
    expect(existsSync(join(root, 'dist/client/_astro-segments'))).toBe(false);
  });

  it('is one deployment for `wrangler deploy`: the wrapper is the main module and the adapter ships beside it', async () => {
    const { code, output } = await run(['deploy', '--dry-run', '--outdir', dryRun]);
    expect(code, output).toBe(0);
    expect(output).toContain('Using redirected Wrangler configuration');
    expect(await readdir(dryRun)).toEqual(expect.arrayContaining(['_astro-segments.mjs', 'entry.mjs']));
  }, 120_000);

  it('personalizes the prerendered page in workerd', async () => {
    const manifest = JSON.parse(await readFile(join(root, 'dist/client/_segments/manifest.json'), 'utf8')) as Manifest;
    expect(Object.keys(manifest.routes)).toEqual(['/pricing']);
    const customer = await fetch(`${origin}/pricing/`, { headers: { cookie: 'session=1' } });
    expect(await customer.text()).toContain('Upgrade your plan.');
    expect(customer.headers.get('cache-control')).toBe('private, no-cache');
    const plain = await fetch(`${origin}/pricing/`);
    expect(await plain.text()).toContain('Start your free trial.');
    const chosen = await fetch(`${origin}/pricing/?segment=customer`);
    expect(await chosen.text()).toContain('Upgrade your plan.');
    expect(chosen.headers.getSetCookie()).toEqual(['segment=audience:customer; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax']);
  });

  it("serves the on-demand page and endpoint through the adapter's Worker, personalized by its middleware", async () => {
    const hello = await fetch(`${origin}/hello`);
    expect([hello.status, await hello.text()]).toEqual([200, expect.stringContaining('Hello on demand')]);
    const endpoint = await fetch(`${origin}/api/audience.json`, { headers: { cookie: 'session=1' } });
    expect(await endpoint.json()).toEqual({ audience: 'customer' });
    expect(endpoint.headers.get('cache-control')).toMatch(/^private/);
  });

  it('leaves the other static pages to the assets, untouched', async () => {
    const home = await fetch(`${origin}/`, { headers: { cookie: 'session=1' } });
    expect(await home.text()).toContain('Home');
    expect(home.headers.get('cache-control') ?? '').not.toMatch(/private/);
  });
});
