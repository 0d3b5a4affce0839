/**
 * (b) The Node server (`createSegmentsServer`) over HTTP on 127.0.0.1, port 0,
 * one server per site instance. The server runs in this process, so `fetch`
 * is a throwing stub and `console` is spied (the test's own HTTP client keeps
 * the real fetch). The corrupt instance reads a truncated manifest.json.
 *
 * The server is meant to sit behind a proxy that terminates TLS and may supply
 * geo; the harness plays that proxy: it drops any client-sent
 * `x-forwarded-proto` / `x-proxy-country` and sets them from the case.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { vi } from 'vitest';
import { createSegmentsServer } from '../../../packages/astro-segments/src/server/index.ts';
import type { PlantedRequest, Runtime, SiteName } from '../cases.ts';
import { buildOutputs } from './build-outputs.ts';

const realFetch = globalThis.fetch;

export async function startNode(): Promise<Runtime> {
  const outputs = await buildOutputs([]);
  await writeFile(join(outputs.sites.corrupt.dist, '_segments', 'manifest.json'), '{"version":1,"prefix":"/_segm');
  const servers = new Map<SiteName, { server: Server; origin: string }>();
  for (const [site, { dist }] of Object.entries(outputs.sites) as [SiteName, { dist: string }][]) {
    const server = createSegmentsServer({
      dir: dist,
      trustForwardedProto: true,
      country: (req) => (typeof req.headers['x-proxy-country'] === 'string' ? req.headers['x-proxy-country'] : undefined),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    servers.set(site, { server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
  }

  const calls: string[] = [];
  const levels = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const spies = levels.map((level) => vi.spyOn(console, level).mockImplementation(() => void calls.push(`console.${level}`)));
  vi.stubGlobal('fetch', () => {
    calls.push('fetch');
    throw new TypeError('the router may not call fetch');
  });

  return {
    async fetch(p: PlantedRequest) {
      const url = new URL(p.url);
      const headers = new Headers(p.headers);
      headers.delete('x-forwarded-proto');
      headers.delete('x-proxy-country');
      if (url.protocol === 'https:') headers.set('x-forwarded-proto', 'https');
      if (p.country) headers.set('x-proxy-country', p.country);
      const { origin } = servers.get(p.site)!;
      const response = await realFetch(`${origin}${url.pathname}${url.search}`, { method: p.method, headers, redirect: 'manual' });
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
    violations: () => calls.splice(0),
    async stop() {
      for (const spy of spies) spy.mockRestore();
      vi.unstubAllGlobals();
      for (const { server } of servers.values()) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await outputs.remove();
    },
  };
}
