/**
 * (a) The core `serve()` in-process, with in-memory host stubs that behave like
 * a static host over test/hosts/site/ (`/x/` and `/x` → `x/index.html`, 404
 * page, 405 for other methods). `fetch` is a throwing stub and `console` is
 * spied while it runs; any call is reported as a violation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { holdout, serve, type Manifest } from '@astro-segments/edge';
import { vi } from 'vitest';
import { MANIFESTS, SITE_DIR, type PlantedRequest, type Runtime } from '../cases.ts';

const PUBLIC = 'public, max-age=0, must-revalidate';

function readSite(dir: string, files = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) readSite(path, files);
    else files.set(`/${relative(SITE_DIR, path)}`, readFileSync(path, 'utf8'));
  }
  return files;
}

/** A static host in memory. */
export function memoryHost(files: ReadonlyMap<string, string>) {
  return (method: string, pathname: string): Promise<Response> => {
    const html = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': PUBLIC };
    if (method !== 'GET' && method !== 'HEAD') return Promise.resolve(new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } }));
    let path: string;
    try {
      path = decodeURIComponent(pathname);
    } catch {
      path = '/404.html?';
    }
    const candidates = path.endsWith('/') ? [`${path}index.html`] : [path, `${path}.html`, `${path}/index.html`];
    const found = candidates.find((c) => files.has(c));
    const body = files.get(found ?? '/404.html')!;
    return Promise.resolve(new Response(method === 'HEAD' ? null : body, { status: found ? 200 : 404, headers: html }));
  };
}

export function startRaw(manifests: Readonly<Record<string, Manifest>> = MANIFESTS): Promise<Runtime> {
  const respond = memoryHost(readSite(SITE_DIR));
  const calls: string[] = [];
  const levels = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const spies = levels.map((level) => vi.spyOn(console, level).mockImplementation(() => void calls.push(`console.${level}`)));
  vi.stubGlobal('fetch', () => {
    calls.push('fetch');
    throw new TypeError('the router may not call fetch');
  });
  return Promise.resolve({
    async fetch(p: PlantedRequest) {
      const request = new Request(p.url, { method: p.method, headers: p.headers });
      const manifest = manifests[p.site]!;
      const response = await serve(
        request,
        manifest,
        { country: p.country },
        {
          asset: (path) => respond(request.method, new URL(path, request.url).pathname),
          next: () => respond(request.method, new URL(request.url).pathname),
        },
        manifest.holdout ? holdout() : undefined,
      );
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
    violations: () => calls.splice(0),
    async stop() {
      for (const spy of spies) spy.mockRestore();
      vi.unstubAllGlobals();
    },
  });
}
