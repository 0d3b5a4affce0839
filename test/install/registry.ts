/**
 * A local npm registry for the install tests: Verdaccio in this process on
 * 127.0.0.1 and a free port, storage in a temporary folder, our three packages
 * published there from their packed tarballs, and every other package proxied
 * from the public npm registry (astro and its dependencies). Our package names
 * are never proxied, so an install can only get the tarballs this run packed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServer } from 'verdaccio';
import { run } from './site.ts';

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Publish a packed tarball with `npm publish`, as its maintainer would. */
  publish(tarball: string): Promise<void>;
  stop(): Promise<void>;
}

const OURS = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' };

export async function startRegistry(): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'astro-segments-registry-'));
  const app = await runServer({
    self_path: dir,
    storage: join(dir, 'storage'),
    // A throwaway account: a fast hash, since every request of npm publish checks the password.
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 1, algorithm: 'sha1' } },
    uplinks: { npmjs: { url: 'https://registry.npmjs.org/', timeout: '60s' } },
    packages: {
      'astro-segments': OURS,
      'remark-segments': OURS,
      '@astro-segments/*': OURS,
      '@*/*': { access: '$all', proxy: 'npmjs' },
      '**': { access: '$all', proxy: 'npmjs' },
    },
    web: { enable: false },
    // npm's audit call would be proxied upstream for nothing.
    middlewares: { audit: { enabled: false } },
    log: { type: 'stdout', format: 'pretty', level: 'error' },
  } as unknown as Parameters<typeof runServer>[0]);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  // The maintainer's account: Verdaccio creates it on first login and answers with a token.
  const login = await fetch(new URL('-/user/org.couchdb.user:maintainer', url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'maintainer', password: 'local-registry-only' }),
  });
  const { token } = (await login.json()) as { token?: string };
  if (!token) throw new Error(`the local registry refused the maintainer's account: ${login.status}`);
  const userconfig = join(dir, 'maintainer.npmrc');
  await writeFile(userconfig, `//127.0.0.1:${new URL(url).port}/:_authToken=${token}\n`);

  return {
    url,
    async publish(tarball) {
      await run('npm', ['publish', tarball, '--registry', url, '--userconfig', userconfig], { cwd: dir });
    },
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      // Clients' keep-alive connections would hold close() open for a minute.
      server.closeAllConnections();
      await closed;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
