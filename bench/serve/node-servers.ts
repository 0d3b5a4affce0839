/**
 * Child process for the serving benchmark, so the servers do not share a
 * process with the load generator:
 *   A  createSegmentsServer (the router in front of the static files)
 *   B  the same static layer (`staticResponse` from the server's own
 *      static-files.ts) answering the same way, without the router
 *   M  for scale only: a minimal file server (readFile + end, no path checks,
 *      no streams), to show what the static layer itself costs
 * Prints `{"a":port,"b":port,"m":port}` once all listen on 127.0.0.1; stops on SIGTERM.
 *
 *   node serve/node-servers.ts <dist>
 */
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createSegmentsServer } from 'astro-segments/server';
import { staticResponse } from '../../packages/astro-segments/src/server/static-files.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node-servers.ts <dist>');

// The proxy in front of a real deployment would set this header; the bench plays that proxy.
const a = createSegmentsServer({ dir, country: (req) => (typeof req.headers['x-bench-country'] === 'string' ? req.headers['x-bench-country'] : undefined) });

const site = { root: realpathSync(dir), base: '/', prefix: '/_segments/' };
const b = createServer((req, res) => {
  const method = (req.method ?? 'GET').toUpperCase();
  staticResponse(site, method, new URL(req.url ?? '/', 'http://localhost').pathname)
    .then(async (response) => {
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      res.writeHead(response.status, headers);
      if (method === 'HEAD' || !response.body) return void res.end();
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res);
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
});

const m = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (!/^\/_segments\/[a-z0-9]+\.html$/.test(path)) return void res.writeHead(404).end();
  readFile(join(site.root, path)).then(
    (body) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length }).end(body),
    () => res.writeHead(404).end(),
  );
});

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    }),
  );

const ports = { a: await listen(a), b: await listen(b), m: await listen(m) };
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.on('SIGTERM', () => {
  for (const server of [a, b, m]) server.closeAllConnections(), server.close();
  process.exit(0);
});
