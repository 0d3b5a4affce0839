#!/usr/bin/env node
/**
 * `astro-segments-serve [dir] --port N --host 127.0.0.1 --base /`: serve a
 * built site through the segments router. Prints the URL once; no request log.
 * Without `--base`, the site is served under the base it was built with.
 */
import { parseArgs } from 'node:util';
import { createSegmentsServer, defaultBase } from './index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '4321' },
    host: { type: 'string', default: '127.0.0.1' },
    base: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write('Usage: astro-segments-serve [dir=dist] [--port 4321] [--host 127.0.0.1] [--base <the base the site was built with>]\n');
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`astro-segments-serve: --port ${values.port} is not a port number. Use 0 to 65535 (0 picks a free port).\n`);
  process.exit(1);
}

let server;
let base: string;
try {
  base = values.base ?? defaultBase(positionals[0] ?? 'dist');
  server = createSegmentsServer({ dir: positionals[0] ?? 'dist', base });
} catch (error) {
  process.stderr.write(
    `astro-segments-serve: cannot serve ${positionals[0] ?? 'dist'}: ${(error as Error).message}. Build the site first (astro build) or pass its folder.\n`,
  );
  process.exit(1);
}
server.on('error', (error) => {
  process.stderr.write(`astro-segments-serve: ${error.message}\n`);
  process.exit(1);
});
server.listen(port, values.host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const host = values.host.includes(':') ? `[${values.host}]` : values.host;
  process.stdout.write(`http://${host}:${actual}${base.startsWith('/') ? base : `/${base}`}\n`);
});
