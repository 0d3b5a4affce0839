/**
 * One server of the serving benchmark, in a child process of its own, so it
 * shares neither a process nor a heap with the load generator or the server it
 * is compared with (and its CPU time is its own):
 *
 *   segments  createSegmentsServer: the router in front of its static layer
 *   sirv      sirv alone, configured as a production static server would be
 *             (ETag, precompressed siblings), serving the same folder
 *
 * Prints `{"port":N}` once it listens on 127.0.0.1; stops on SIGTERM.
 *
 *   node serve/node-server.ts <segments|sirv> <dist>
 */
import { createServer, type Server } from 'node:http';
import { createSegmentsServer } from 'astro-segments/server';
import sirv from 'sirv';

const [kind, dir] = process.argv.slice(2);
if (!dir || (kind !== 'segments' && kind !== 'sirv')) throw new Error('usage: node-server.ts <segments|sirv> <dist>');

const server: Server =
  kind === 'segments'
    ? // The proxy in front of a real deployment would set this header; the bench plays that proxy.
      createSegmentsServer({ dir, country: (req) => (typeof req.headers['x-bench-country'] === 'string' ? req.headers['x-bench-country'] : undefined) })
    : createServer(sirv(dir, { etag: true, gzip: true, brotli: true }));

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  process.exit(0);
});
