/**
 * The Node server as a static host: file resolution, content types, caching,
 * HEAD, 404, path traversal, no logging, and its CLI. (Personalization through
 * it is the conformance suite.)
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Manifest } from '@astro-segments/edge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSegmentsServer, type SegmentsServerOptions } from '../../packages/astro-segments/src/server/index.ts';
import { MANIFEST, SITE_DIR } from './cases.ts';

const TYPES: Record<string, string> = {
  'a.html': 'text/html; charset=utf-8',
  'a.css': 'text/css; charset=utf-8',
  'a.js': 'text/javascript; charset=utf-8',
  'a.mjs': 'text/javascript; charset=utf-8',
  'a.json': 'application/json; charset=utf-8',
  'a.svg': 'image/svg+xml',
  'a.png': 'image/png',
  'a.jpg': 'image/jpeg',
  'a.webp': 'image/webp',
  'a.avif': 'image/avif',
  'a.ico': 'image/x-icon',
  'a.txt': 'text/plain; charset=utf-8',
  'a.xml': 'application/xml; charset=utf-8',
  'a.woff2': 'font/woff2',
  'a.map': 'application/json; charset=utf-8',
  'a.bin': 'application/octet-stream',
};

let base: string;
let site: string;

/** Raw HTTP, so paths reach the server exactly as written (no client normalization). */
function get(origin: string, path: string, method = 'GET', headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest(origin, { method, headers, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw HTTP with the body as bytes: nothing decodes a Content-Encoding on the way. */
function getBytes(origin: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = httpRequest(origin, { method, headers, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listen(options: SegmentsServerOptions): Promise<{ origin: string; server: Server }> {
  const server = createSegmentsServer(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: originOf(server) };
}

/** The URL of a server listening on 127.0.0.1. */
function originOf(server: Server): string {
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

async function close(server: Server) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'segments-server-'));
  site = join(base, 'dist');
  await cp(SITE_DIR, site, { recursive: true });
  for (const name of Object.keys(TYPES)) await writeFile(join(site, name), 'x');
  await mkdir(join(site, 'guide'), { recursive: true });
  await writeFile(join(site, 'guide.html'), 'guide as file');
  await writeFile(join(site, 'guide', 'index.html'), 'guide as folder');
  await mkdir(join(site, 'flat'), { recursive: true });
  await writeFile(join(site, 'flat', 'index.html'), 'flat folder');
  await writeFile(join(site, '.env'), 'SECRET=1');
  await mkdir(join(site, '.well-known'), { recursive: true });
  await writeFile(join(site, '.well-known', 'security.txt'), 'Contact: x');
  await writeFile(join(base, 'outside.txt'), 'outside the site');
  await symlink(join(base, 'outside.txt'), join(site, 'escape.txt'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('Node server: static files', () => {
  let origin: string;
  let server: Server;
  beforeAll(async () => {
    ({ origin, server } = await listen({ dir: site }));
  });
  afterAll(async () => close(server));

  it.each(Object.entries(TYPES))('serves %s as %s', async (name, type) => {
    const response = await get(origin, `/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(type);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves folder/ as folder/index.html, and /x as x, x.html, then x/index.html', async () => {
    expect((await get(origin, '/flat/')).body).toBe('flat folder');
    expect((await get(origin, '/flat')).body).toBe('flat folder');
    expect((await get(origin, '/guide')).body).toBe('guide as file');
    expect((await get(origin, '/guide/')).body).toBe('guide as folder');
    expect((await get(origin, '/a')).body).toBe('x');
  });

  it('caches content-hashed variant files forever, everything else revalidates', async () => {
    expect((await get(origin, '/_segments/c0ffee01.html')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get(origin, '/_segments/manifest.json')).headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    expect((await get(origin, '/docs/')).headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    expect((await get(origin, '/a.css')).headers['cache-control']).toBe('public, max-age=0, must-revalidate');
  });

  it('gives a form of a personalized URL the site has no file for one answer whatever the signals: its 404, nothing stored', async () => {
    // /pricing is built as pricing/index.html: /pricing.html is not one of its files.
    for (const path of ['/pricing.html', '/pricing.html?segment=customer', '/pricing.html?segment=reset']) {
      const response = await get(origin, path, 'GET', { cookie: 'session=1' });
      expect(response.status, path).toBe(404);
      expect(response.headers['set-cookie'], path).toBeUndefined();
      expect(response.headers['x-segments'], path).toBeUndefined();
    }
    const served = await get(origin, '/pricing/?segment=customer');
    expect(served.status).toBe(200);
    expect(served.headers['set-cookie']).toBeDefined();
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const [head, full] = [await get(origin, '/docs/', 'HEAD'), await get(origin, '/docs/')];
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    for (const name of ['content-type', 'content-length', 'cache-control']) expect(head.headers[name]).toBe(full.headers[name]);
  });

  it('serves 404.html with status 404, or a plain 404 without one', async () => {
    const missing = await get(origin, '/no/such/page');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('marker:not-found');
    const bare = await mkdtemp(join(tmpdir(), 'segments-bare-'));
    const other = await listen({ dir: bare });
    try {
      const plain = await get(other.origin, '/x');
      expect([plain.status, plain.body, plain.headers['content-type']]).toEqual([404, 'Not found\n', 'text/plain; charset=utf-8']);
    } finally {
      await close(other.server);
      await rm(bare, { recursive: true, force: true });
    }
  });

  it.each(['DELETE', 'POST', 'TRACE'])('refuses %s with 405 and Allow', async (method) => {
    const response = await get(origin, '/pricing/', method);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it.each([
    '/../outside.txt',
    '/%2e%2e/outside.txt',
    '/%2E%2E%2Foutside.txt',
    '/docs/..%2F..%2Foutside.txt',
    '/..%5Coutside.txt',
    '/escape.txt',
    '/.env',
    '/docs/%00.html',
    '//etc/passwd',
  ])('never serves a file outside the site: %s', async (path) => {
    const response = await get(origin, path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('outside the site');
    expect(response.body).not.toContain('SECRET');
  });

  it('reads the path of an absolute-form request target, never its host', async () => {
    const response = await get(origin, 'http://evil.example/docs/?x=1');
    expect(response.status).toBe(200);
    expect(response.body).toContain('marker:docs');
    expect(JSON.stringify(response.headers)).not.toContain('evil');
  });

  it('serves .well-known', async () => {
    expect((await get(origin, '/.well-known/security.txt')).body).toBe('Contact: x');
  });

  it('never serves _headers, which names every variant file, nor _redirects: hosts read them, never serve them', async () => {
    await writeFile(join(site, '_redirects'), '/a /b 301');
    const { origin: fresh, server: started } = await listen({ dir: site });
    try {
      for (const path of ['/_headers', '/_redirects']) expect((await get(fresh, path)).status, path).toBe(404);
    } finally {
      await close(started);
    }
  });
});

describe('Node server: the router', () => {
  it('reads <dir>/_segments/manifest.json by default', async () => {
    const { origin, server } = await listen({ dir: pathToFileURL(site) });
    try {
      expect((await get(origin, '/pricing/', 'GET', { cookie: 'session=1' })).body).toContain('marker:pricing-customer');
    } finally {
      await close(server);
    }
  });

  it('uses a manifest given in the options instead', async () => {
    const { origin, server } = await listen({ dir: site, manifest: { ...MANIFEST, routes: {} } });
    try {
      const response = await get(origin, '/pricing/', 'GET', { cookie: 'session=1' });
      expect(response.body).toContain('marker:pricing-default');
      expect(response.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    } finally {
      await close(server);
    }
  });

  it('serves every page as its default without a manifest', async () => {
    const bare = join(base, 'no-manifest');
    await cp(SITE_DIR, bare, { recursive: true, filter: (source) => !source.endsWith('manifest.json') });
    const { origin, server } = await listen({ dir: bare });
    try {
      const response = await get(origin, '/pricing/?segment=customer');
      expect([response.status, response.headers['set-cookie']]).toEqual([200, undefined]);
      expect(response.body).toContain('marker:pricing-default');
    } finally {
      await close(server);
    }
  });

  it('serves the default page when reading the manifest throws', async () => {
    const throwing = new Proxy({} as Manifest, {
      get() {
        throw new Error('boom');
      },
    });
    const { origin, server } = await listen({ dir: site, manifest: throwing });
    try {
      const response = await get(origin, '/pricing/?segment=customer', 'GET', { cookie: 'session=1' });
      expect([response.status, response.headers['set-cookie']]).toEqual([200, undefined]);
      expect(response.body).toContain('marker:pricing-default');
    } finally {
      await close(server);
    }
  });

  it('serves the site under its base', async () => {
    const manifest = { ...MANIFEST, prefix: '/docs-site/_segments/', routes: { '/docs-site/pricing': MANIFEST.routes['/pricing']! } };
    const { origin, server } = await listen({ dir: site, base: '/docs-site', manifest });
    try {
      expect((await get(origin, '/docs-site/pricing/', 'GET', { cookie: 'session=1' })).body).toContain('marker:pricing-customer');
      expect((await get(origin, '/docs-site/docs/')).body).toContain('marker:docs');
      expect((await get(origin, '/docs/')).status).toBe(404);
    } finally {
      await close(server);
    }
  });

  it('serves a site under the base it was built with when given none', async () => {
    const manifest = { ...MANIFEST, prefix: '/docs-site/_segments/', routes: { '/docs-site/pricing': MANIFEST.routes['/pricing']! } };
    const { origin, server } = await listen({ dir: site, manifest });
    try {
      expect((await get(origin, '/docs-site/pricing/', 'GET', { cookie: 'session=1' })).body).toContain('marker:pricing-customer');
      expect((await get(origin, '/pricing/')).status).toBe(404);
    } finally {
      await close(server);
    }
  });

  it('trusts neither X-Forwarded-Proto nor any geo header unless told to', async () => {
    const { origin, server } = await listen({ dir: site });
    try {
      const response = await get(origin, '/pricing/?segment=customer', 'GET', { 'x-forwarded-proto': 'https' });
      expect(response.headers['set-cookie']).toEqual(['segment=audience:customer; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax']);
      const geo = await get(origin, '/offers/', 'GET', { 'cf-ipcountry': 'DE', 'x-vercel-ip-country': 'DE' });
      expect(geo.body).toContain('marker:offers-default');
    } finally {
      await close(server);
    }
  });

  it('writes no log while serving', async () => {
    const writes = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')];
    const logs = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level));
    const { origin, server } = await listen({ dir: site });
    try {
      await get(origin, '/pricing/?segment=customer');
      await get(origin, '/no/such/page');
      await get(origin, '/../outside.txt');
      await get(origin, '/docs/', 'POST');
      for (const spy of [...writes, ...logs]) expect(spy).not.toHaveBeenCalled();
    } finally {
      await close(server);
      for (const spy of [...writes, ...logs]) spy.mockRestore();
    }
  });
});

describe('astro-segments-serve CLI', () => {
  it('prints the URL it serves and serves the site through the router', async () => {
    const cli = fileURLToPath(new URL('../../packages/astro-segments/src/server/cli.ts', import.meta.url));
    const child = spawn(process.execPath, [cli, site, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('\n')) resolve(out.trim());
        });
        child.on('exit', (code) => reject(new Error(`CLI exited with ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const response = await get(url.replace(/\/$/, ''), '/pricing/', 'GET', { cookie: 'session=1' });
      expect(response.body).toContain('marker:pricing-customer');
    } finally {
      child.kill();
    }
  });

  it('explains a bad port and exits with 1', async () => {
    const cli = fileURLToPath(new URL('../../packages/astro-segments/src/server/cli.ts', import.meta.url));
    const child = spawn(process.execPath, [cli, site, '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/--port eighty is not a port number/);
  });
});

describe('Node server: the static layer users expect (sirv)', () => {
  let origin: string;
  let server: Server;
  beforeAll(async () => {
    await writeFile(join(site, 'big.css'), 'body{color:red}'.repeat(200));
    await writeFile(join(site, 'big.css.br'), 'precompressed-br');
    await writeFile(join(site, 'big.css.gz'), 'precompressed-gz');
    ({ origin, server } = await listen({ dir: site }));
  });
  afterAll(async () => close(server));

  it('sends an ETag and answers a matching If-None-Match with 304', async () => {
    const first = await get(origin, '/docs/');
    expect(first.headers.etag).toBeTruthy();
    const again = await get(origin, '/docs/', 'GET', { 'if-none-match': String(first.headers.etag) });
    expect([again.status, again.body]).toEqual([304, '']);
  });

  it('gives a personalized variant its content hash as ETag, and 304 only for that variant', async () => {
    const customer = await get(origin, '/pricing/', 'GET', { cookie: 'session=1' });
    expect(customer.headers.etag).toBe('"c0ffee01"');
    const same = await get(origin, '/pricing/', 'GET', { cookie: 'session=1', 'if-none-match': '"c0ffee01"' });
    expect([same.status, same.headers['cache-control']]).toEqual([304, 'private, no-cache']);
    // Another visitor with the customer's entity tag gets their own page, never a 304.
    const other = await get(origin, '/pricing/', 'GET', { 'if-none-match': '"c0ffee01"' });
    expect([other.status, other.body.includes('marker:pricing-default')]).toEqual([200, true]);
  });

  it('answers 304 with the ETag, Vary and Cache-Control its 200 carries', async () => {
    for (const [path, headers] of [
      ['/docs/', {}],
      ['/big.css', { 'accept-encoding': 'br' }],
      ['/pricing/', {}],
      ['/pricing/', { cookie: 'session=1' }],
    ] as const) {
      const full = await get(origin, path, 'GET', headers);
      const again = await get(origin, path, 'GET', { ...headers, 'if-none-match': String(full.headers.etag) });
      const kept = (reply: typeof full) => [reply.headers.etag, reply.headers.vary, reply.headers['cache-control']];
      expect([again.status, ...kept(again)], path).toEqual([304, ...kept(full)]);
      expect(kept(full).every(Boolean), path).toBe(true);
    }
  });

  it('reads If-None-Match as a list, compares weakly, and takes *', async () => {
    const { etag } = (await get(origin, '/docs/')).headers;
    const strong = String(etag).replace(/^W\//, '');
    for (const header of [`"other", ${etag}`, `W/${strong}`, strong, '*'])
      expect((await get(origin, '/docs/', 'GET', { 'if-none-match': header })).status, header).toBe(304);
    for (const header of ['"other"', `${strong.slice(0, -2)}"`, ''])
      expect((await get(origin, '/docs/', 'GET', { 'if-none-match': header })).status, header).toBe(200);
    // A variant's tag is strong, and matches weakly too: the visitor's own cache holds that variant.
    expect((await get(origin, '/pricing/', 'GET', { cookie: 'session=1', 'if-none-match': 'W/"c0ffee01"' })).status).toBe(304);
  });

  it('serves precompressed br and gzip siblings when the client accepts them', async () => {
    const br = await get(origin, '/big.css', 'GET', { 'accept-encoding': 'gzip, br' });
    expect([br.headers['content-encoding'], br.body, br.headers.vary]).toEqual(['br', 'precompressed-br', 'Accept-Encoding']);
    expect(br.headers['content-type']).toBe('text/css; charset=utf-8');
    const gz = await get(origin, '/big.css', 'GET', { 'accept-encoding': 'gzip' });
    expect([gz.headers['content-encoding'], gz.body]).toEqual(['gzip', 'precompressed-gz']);
    const plain = await get(origin, '/big.css', 'GET', { 'accept-encoding': 'identity' });
    expect([plain.headers['content-encoding'], plain.body.length]).toEqual([undefined, 3000]);
  });

  it('answers HEAD of a personalized page with its headers and Content-Length, no body', async () => {
    const head = await get(origin, '/pricing/', 'HEAD', { cookie: 'session=1' });
    const full = await get(origin, '/pricing/', 'GET', { cookie: 'session=1' });
    expect([head.status, head.body, head.headers['content-length'], head.headers['cache-control']]).toEqual([
      200,
      '',
      full.headers['content-length'],
      'private, no-cache',
    ]);
  });

  it('serves one well-formed byte range of a public file, and ignores a malformed one', async () => {
    const range = await get(origin, '/big.css', 'GET', { range: 'bytes=0-3', 'accept-encoding': 'identity' });
    expect([range.status, range.body, range.headers['content-range']]).toEqual([206, 'body', 'bytes 0-3/3000']);
    const malformed = await get(origin, '/big.css', 'GET', { range: 'bytes=9-2', 'accept-encoding': 'identity' });
    expect([malformed.status, malformed.body.length]).toEqual([200, 3000]);
  });
});

describe('Node server: the prefix the site was built with', () => {
  it('finds the manifest in a non-default prefix folder and personalizes with it', async () => {
    const dist = join(base, 'prefixed');
    await cp(SITE_DIR, dist, { recursive: true });
    await rm(join(dist, '_segments'), { recursive: true });
    await cp(join(SITE_DIR, '_segments'), join(dist, 'variants'), { recursive: true });
    await writeFile(join(dist, 'variants', 'manifest.json'), JSON.stringify({ ...MANIFEST, prefix: '/variants/' }));
    const { origin, server } = await listen({ dir: dist });
    try {
      const customer = await get(origin, '/pricing/', 'GET', { cookie: 'session=1' });
      expect([customer.body.includes('marker:pricing-customer'), customer.headers['cache-control']]).toEqual([true, 'private, no-cache']);
      expect((await get(origin, '/variants/c0ffee01.html')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await get(origin, '/variants/manifest.json')).headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    } finally {
      await close(server);
    }
  });
});

describe('segmentsMiddleware: the router in front of your own server', () => {
  it('answers personalized routes and hands everything else to next()', async () => {
    const { createServer } = await import('node:http');
    const { segmentsMiddleware } = await import('../../packages/astro-segments/src/server/index.ts');
    const router = segmentsMiddleware({ dir: site });
    const server = createServer((req, res) =>
      router(req, res, () => {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('your own handler');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = originOf(server);
    try {
      const personalized = await get(origin, '/pricing/?segment=customer');
      expect(personalized.body).toContain('marker:pricing-customer');
      expect(personalized.headers['set-cookie']).toEqual(['segment=audience:customer; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax']);
      expect((await get(origin, '/docs/')).body).toBe('your own handler');
      expect((await get(origin, '/pricing/', 'POST')).body).toBe('your own handler');
    } finally {
      await close(server);
    }
  });
});

describe('segmentsMiddleware: the request is handed on as it came', () => {
  it('leaves the URL and every header of the request unchanged, served or passed on, and calls next() before it returns', async () => {
    const { createServer } = await import('node:http');
    const { segmentsMiddleware } = await import('../../packages/astro-segments/src/server/index.ts');
    const router = segmentsMiddleware({ dir: site });
    // What a logger or router of the user's own reads once the response is sent.
    const seen: { before: unknown; after: unknown }[] = [];
    // Whether each next() came before the middleware returned (what the Hono example relies on).
    const nextCalls: boolean[] = [];
    const server = createServer((req, res) => {
      const before = { url: req.url, headers: { ...req.headers } };
      res.on('finish', () => seen.push({ before, after: { url: req.url, headers: { ...req.headers } } }));
      let returned = false;
      router(req, res, () => {
        nextCalls.push(!returned);
        res.writeHead(200).end('next');
      });
      returned = true;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = originOf(server);
    try {
      const asked = { range: 'bytes=0-9', 'accept-encoding': 'br, gzip', 'if-none-match': '"nothing"', cookie: 'session=1' };
      expect((await get(origin, '/pricing/?segment=customer', 'GET', asked)).status).toBe(200);
      expect((await get(origin, '/pricing/', 'GET', { ...asked, 'if-none-match': '"c0ffee01"' })).status).toBe(304);
      expect((await get(origin, '/pricing/', 'HEAD', { range: 'bytes=0-9' })).status).toBe(200);
      expect((await get(origin, '/docs/', 'GET', asked)).body).toBe('next');
      expect((await get(origin, '/pricing/', 'POST')).body).toBe('next');
      expect(seen).toHaveLength(5);
      for (const { before, after } of seen) expect(after).toEqual(before);
      expect(nextCalls).toEqual([true, true]);
    } finally {
      await close(server);
    }
  });
});

describe('segmentsMiddleware with Express, as the deploy guide shows it', () => {
  it('answers personalized routes, hands the rest to express.static, and leaves req.url to the app', async () => {
    const { default: express } = await import('express');
    const { segmentsMiddleware } = await import('../../packages/astro-segments/src/server/index.ts');
    const app = express();
    const urls: string[] = [];
    app.use((req, res, next) => {
      res.on('finish', () => urls.push(req.url));
      next();
    });
    app.use(segmentsMiddleware({ dir: site, country: (req) => (req as import('express').Request).get('x-proxy-country') }));
    app.use(express.static(site));
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const origin = originOf(server);
    try {
      const customer = await get(origin, '/pricing/', 'GET', { cookie: 'session=1' });
      expect([customer.body.includes('marker:pricing-customer'), customer.headers['cache-control'], customer.headers.etag]).toEqual([
        true,
        'private, no-cache',
        '"c0ffee01"',
      ]);
      expect((await get(origin, '/pricing/', 'GET', { cookie: 'session=1', 'if-none-match': '"c0ffee01"' })).status).toBe(304);
      // The country comes from the header the app names (the guide's proxy header).
      expect((await get(origin, '/offers/', 'GET', { 'x-proxy-country': 'DE' })).body).toContain('marker:offers-eu');
      const docs = await get(origin, '/docs/');
      expect([docs.status, docs.body.includes('<'), docs.headers['cache-control']]).toEqual([200, true, 'public, max-age=0']);
      expect(urls).toEqual(['/pricing/', '/pricing/', '/offers/', '/docs/']);
    } finally {
      await close(server);
    }
  });
});

describe('Node server: on-the-fly br and gzip for compressible files without a precompressed sibling', () => {
  let dist: string;
  let origin: string;
  let server: Server;
  const page = `<!doctype html><html><body>${'<p>Every plan includes bookkeeping and returns.</p>\n'.repeat(100)}</body></html>`;
  const decode = (coding: unknown, body: Buffer) =>
    (coding === 'br' ? brotliDecompressSync(body) : coding === 'gzip' ? gunzipSync(body) : body).toString('utf8');
  beforeAll(async () => {
    dist = join(base, 'compress');
    await cp(SITE_DIR, dist, { recursive: true });
    await writeFile(join(dist, 'page.html'), page);
    await writeFile(join(dist, 'data.json'), JSON.stringify({ rows: Array.from({ length: 200 }, (_, i) => ({ i, name: `row ${i}` })) }));
    await writeFile(join(dist, 'tiny.css'), 'body{color:red}');
    await writeFile(join(dist, 'photo.png'), Buffer.alloc(4096, 7));
    // A personalized variant big enough to be worth compressing.
    const variant = join(dist, '_segments', 'c0ffee01.html');
    await writeFile(variant, (await readFile(variant, 'utf8')).replace('</body>', `${'<p>Your plan renews monthly.</p>\n'.repeat(80)}</body>`));
    ({ origin, server } = await listen({ dir: dist }));
  });
  afterAll(async () => close(server));

  it.each([
    ['br', 'gzip, deflate, br, zstd'],
    ['gzip', 'gzip, deflate'],
  ])('sends %s to a request that accepts it (%s), with its length, Vary and its own entity tag', async (coding, accept) => {
    const plain = await getBytes(origin, '/page.html', { 'accept-encoding': 'identity' });
    const encoded = await getBytes(origin, '/page.html', { 'accept-encoding': accept });
    expect([encoded.status, encoded.headers['content-encoding'], encoded.headers.vary]).toEqual([200, coding, 'Accept-Encoding']);
    expect(Number(encoded.headers['content-length'])).toBe(encoded.body.length);
    expect(encoded.body.length).toBeLessThan(page.length / 4);
    expect(decode(coding, encoded.body)).toBe(page);
    expect([plain.headers['content-encoding'], plain.body.toString('utf8')]).toEqual([undefined, page]);
    expect(encoded.headers.etag).toMatch(new RegExp(`-${coding}"$`));
    expect(encoded.headers.etag).not.toBe(plain.headers.etag);
    expect([encoded.headers['content-type'], encoded.headers['cache-control'], encoded.headers['x-content-type-options']]).toEqual([
      'text/html; charset=utf-8',
      'public, max-age=0, must-revalidate',
      'nosniff',
    ]);
    // The second request is answered from memory, byte for byte the same.
    expect((await getBytes(origin, '/page.html', { 'accept-encoding': accept })).body.equals(encoded.body)).toBe(true);
  });

  it.each([
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0.5, br;q=0.1', 'br'],
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['gzip;q=0, br;q=0', undefined],
    ['deflate', undefined],
  ])('reads Accept-Encoding %j as %s', async (accept, coding) => {
    const response = await getBytes(origin, '/data.json', { 'accept-encoding': accept });
    expect(response.headers['content-encoding']).toBe(coding);
    expect(JSON.parse(decode(coding, response.body)).rows).toHaveLength(200);
  });

  it('refuses a coding the request refuses, for a precompressed sibling too', async () => {
    await writeFile(join(dist, 'big.css'), 'body{color:red}'.repeat(200));
    await writeFile(join(dist, 'big.css.br'), 'precompressed-br');
    await writeFile(join(dist, 'big.css.gz'), 'precompressed-gz');
    const other = await listen({ dir: dist });
    try {
      const gz = await getBytes(other.origin, '/big.css', { 'accept-encoding': 'br;q=0, gzip' });
      expect([gz.headers['content-encoding'], gz.body.toString()]).toEqual(['gzip', 'precompressed-gz']);
    } finally {
      await close(other.server);
    }
  });

  it('answers the compressed representation’s own tag with 304, and HEAD with its headers and no body', async () => {
    const first = await getBytes(origin, '/page.html', { 'accept-encoding': 'br' });
    const again = await getBytes(origin, '/page.html', { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    expect([again.status, again.body.length, again.headers.etag]).toEqual([304, 0, first.headers.etag]);
    // The identity representation's tag does not stand for the compressed one.
    const identity = await getBytes(origin, '/page.html', { 'accept-encoding': 'identity' });
    expect((await getBytes(origin, '/page.html', { 'accept-encoding': 'br', 'if-none-match': String(identity.headers.etag) })).status).toBe(200);
    const head = await getBytes(origin, '/page.html', { 'accept-encoding': 'br' }, 'HEAD');
    expect([head.status, head.body.length, head.headers['content-encoding'], head.headers['content-length']]).toEqual([
      200,
      0,
      'br',
      first.headers['content-length'],
    ]);
  });

  it('sends small files, images and byte ranges as they are', async () => {
    for (const path of ['/tiny.css', '/photo.png']) {
      const response = await getBytes(origin, path, { 'accept-encoding': 'br, gzip' });
      expect(response.headers['content-encoding'], path).toBeUndefined();
    }
    const range = await getBytes(origin, '/page.html', { 'accept-encoding': 'br', range: 'bytes=0-14' });
    expect([range.status, range.headers['content-encoding'], range.body.toString()]).toEqual([206, undefined, '<!doctype html>']);
  });

  it('compresses a personalized variant, tagged by its hash and the coding, still private', async () => {
    const customer = await getBytes(origin, '/pricing/', { cookie: 'session=1', 'accept-encoding': 'br' });
    expect(decode('br', customer.body)).toContain('marker:pricing-customer');
    expect([customer.headers['content-encoding'], customer.headers.etag, customer.headers['cache-control']]).toEqual([
      'br',
      '"c0ffee01-br"',
      'private, no-cache',
    ]);
    const same = await getBytes(origin, '/pricing/', { cookie: 'session=1', 'accept-encoding': 'br', 'if-none-match': '"c0ffee01-br"' });
    expect([same.status, same.headers['cache-control']]).toEqual([304, 'private, no-cache']);
    // Another visitor holding the customer's tag gets their own page.
    const other = await getBytes(origin, '/pricing/', { 'accept-encoding': 'br', 'if-none-match': '"c0ffee01-br"' });
    expect([other.status, other.body.toString().includes('marker:pricing-default')]).toEqual([200, true]);
  });

  it('compresses the 404 page and keeps its status', async () => {
    await writeFile(join(dist, '404.html'), `<p>marker:not-found</p>${'<p>Nothing here.</p>'.repeat(100)}`);
    const other = await listen({ dir: dist });
    try {
      const missing = await getBytes(other.origin, '/no/such/page', { 'accept-encoding': 'gzip' });
      expect([missing.status, missing.headers['content-encoding']]).toEqual([404, 'gzip']);
      expect(decode('gzip', missing.body)).toContain('marker:not-found');
    } finally {
      await close(other.server);
    }
  });
});
