/**
 * Serve the built example through the astro-segments router on 127.0.0.1 and
 * print how to see every variant. Run by `pnpm demo` after `astro build`.
 *
 *   node scripts/demo.ts [--port 4321] [--workerd] [--dir dist]
 *
 * By default the Node server serves it; `--workerd` runs the generated
 * Cloudflare Worker in workerd instead.
 */
import { once } from 'node:events';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createSegmentsServer } from 'astro-segments/server';
import { serveInWorkerd } from './workerd.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '4321' },
    workerd: { type: 'boolean', default: false },
    dir: { type: 'string', default: fileURLToPath(new URL('../dist/', import.meta.url)) },
  },
});
const dir = resolve(values.dir);

const { server, dispose } = values.workerd
  ? await serveInWorkerd(dir)
  : {
      server: createSegmentsServer({
        dir,
        // Locally there is no edge platform to say which country a request comes from,
        // so the demo takes it from a header you send yourself. Deployed, the country
        // comes only from the platform's own geo data (Netlify, Cloudflare, Vercel).
        country: (request) => {
          const value = request.headers['x-demo-country'];
          return typeof value === 'string' ? value : undefined;
        },
      }),
      dispose: async () => {},
    };

server.listen(Number(values.port), '127.0.0.1');
try {
  await once(server, 'listening');
} catch {
  // The usual port is taken: any free port will do.
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
}
const address = server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : values.port}`;

const rows: [string, string, string][] = [
  ['Standard page (full menu)', `${url}/`, `curl -s ${url}/ | grep -o '<h1>[^<]*'`],
  ['Campaign landing (utm_campaign)', `${url}/?utm_campaign=year-end-close`, `curl -s '${url}/?utm_campaign=year-end-close' | grep -o 'badge">[^<]*'`],
  ['Referrer: Product Hunt', '(send a Referer header)', `curl -s -H 'Referer: https://www.producthunt.com/posts/ledgerly' ${url}/ | grep -o 'badge">[^<]*'`],
  ['Customer (login cookie present)', `${url}/login/ → Log in`, `curl -s -H 'Cookie: ledgerly_session=x' ${url}/ | grep -o '<h1>[^<]*'`],
  ['Region: prices in £ (country GB)', '(send X-Demo-Country)', `curl -s -H 'X-Demo-Country: GB' ${url}/pricing/ | grep -o '£[0-9]*' | head -1`],
  ['Region: prices in € (country DE)', '(send X-Demo-Country)', `curl -s -H 'X-Demo-Country: DE' ${url}/pricing/ | grep -o '€[0-9]*' | head -1`],
  [
    'Choose "accountant" (sets the one cookie)',
    `${url}/?segment=audience:accountant`,
    `curl -si '${url}/?segment=audience:accountant' | grep -i '^set-cookie'`,
  ],
  [
    'Preview UK deadlines once (no cookie)',
    `${url}/deadlines/?segment-preview=region:uk`,
    `curl -si '${url}/deadlines/?segment-preview=region:uk' | grep -ci '^set-cookie'`,
  ],
  ['Reset to the standard version', `${url}/?segment=reset`, `curl -si '${url}/?segment=reset' | grep -i '^set-cookie'`],
  ['Chooser page', `${url}/choose/`, ''],
  ['Not personalized', `${url}/about/`, `curl -sI ${url}/about/ | grep -i cache-control || echo '(no router headers)'`],
];

const width = Math.max(...rows.map(([label]) => label.length));
const runtime = values.workerd ? 'the generated Cloudflare Worker in workerd' : 'the Node server';
process.stdout.write(`\nLedgerly example, served through the astro-segments router (${runtime}): ${url}/\n\n`);
for (const [label, link, curl] of rows) {
  process.stdout.write(`  ${label.padEnd(width)}  ${link}\n`);
  if (curl) process.stdout.write(`  ${''.padEnd(width)}  $ ${curl}\n`);
}
process.stdout.write(`\nEvery response of a personalized page carries X-Segments (debug is on in this example): curl -sI ${url}/\nStop with Ctrl+C.\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => void dispose().then(() => process.exit(0)));
  });
}
