/**
 * Serve the built docs through the astro-segments router on 127.0.0.1 and
 * print the URL. Run by `npx -y pnpm@12.21.0 run docs` after `astro build`.
 *
 *   node scripts/serve.ts [--port 4322] [--dir dist]
 *
 * The Node server runs the same decision as every host: a reader's
 * `?segment=host:vercel` is remembered in the one cookie, nothing is inferred.
 */
import { once } from 'node:events';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createSegmentsServer } from 'astro-segments/server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '4322' },
    dir: { type: 'string', default: fileURLToPath(new URL('../dist/', import.meta.url)) },
  },
});

const server = createSegmentsServer({ dir: resolve(values.dir) });
server.once('error', (error: NodeJS.ErrnoException) => {
  const taken = error.code === 'EADDRINUSE';
  process.stderr.write(`docs: ${taken ? `port ${values.port} is taken` : error.message}. Pass another with --port N (0 picks a free one).\n`);
  process.exit(1);
});
server.listen(Number(values.port), '127.0.0.1');
await once(server, 'listening');
const address = server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : values.port}/`;
process.stdout.write(
  `\nAstro Segments docs, served through the astro-segments router: ${url}\n\n` +
    `  Choose your host and package manager: ${url}start/setup/\n` +
    `  Or follow a link that chooses:        ${url}guides/deploy/?segment=host:vercel\n\n` +
    'Stop with Ctrl+C.\n',
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
