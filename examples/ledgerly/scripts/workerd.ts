/**
 * Serve the built example in workerd (the runtime of Cloudflare Workers) with
 * the Worker and wrangler.json that `astro build` generated, through
 * Miniflare. A small Node proxy in front plays Cloudflare's edge for the demo:
 * it turns the `X-Demo-Country` header into `request.cf.country` (on Cloudflare
 * the country comes from the edge itself) and streams the Worker's answers back.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { Miniflare } from 'miniflare';

interface Wrangler {
  main: string;
  compatibility_date: string;
  assets: { directory: string; binding: string; run_worker_first: string[]; not_found_handling?: 'none' | '404-page' };
}

export async function serveInWorkerd(dist: string): Promise<{ server: Server; dispose: () => Promise<void> }> {
  const folder = join(dist, '_astro-segments');
  const wrangler = JSON.parse(await readFile(join(folder, 'wrangler.json'), 'utf8')) as Wrangler;
  const mf = new Miniflare({
    modules: true,
    scriptPath: resolve(folder, wrangler.main),
    compatibilityDate: wrangler.compatibility_date,
    assets: {
      directory: resolve(folder, wrangler.assets.directory),
      binding: wrangler.assets.binding,
      // What wrangler does with `run_worker_first: [...]`: the Worker runs first on those routes only.
      routerConfig: { has_user_worker: true, static_routing: { user_worker: wrangler.assets.run_worker_first } },
      assetConfig: { has_static_routing: true, not_found_handling: wrangler.assets.not_found_handling ?? 'none' },
    },
  });
  await mf.ready;
  const server = createServer(async (req, res) => {
    const headers: [string, string][] = [];
    for (const [name, values] of Object.entries(req.headersDistinct)) {
      if (name === 'x-demo-country' || name === 'host') continue;
      for (const value of values ?? []) headers.push([name, value]);
    }
    const country = req.headers['x-demo-country'];
    try {
      const response = await mf.dispatchFetch(`http://localhost${req.url ?? '/'}`, {
        method: req.method,
        headers,
        redirect: 'manual',
        cf: { country: typeof country === 'string' ? country.toUpperCase() : 'XX' },
      });
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') out[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) out['set-cookie'] = cookies;
      res.writeHead(response.status, out);
      if (response.body) Readable.fromWeb(response.body as never).pipe(res);
      else res.end();
    } catch {
      res.writeHead(502).end();
    }
  });
  return { server, dispose: () => mf.dispose() };
}
