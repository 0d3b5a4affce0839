/**
 * Debian's nginx as a caching reverse proxy on 127.0.0.1, for one test: its
 * own prefix folder (config, cache, temp files, error log) under the system's
 * temp folder, a single foreground process (no daemon, no master), stopped by
 * its PID. scripts/ensure-test-deps.ts installs the package.
 *
 * The cache is what a careless CDN setup looks like: one entry per URL with
 * nginx's default key (`$scheme$proxy_host$request_uri`: no cookie, no
 * header), and `proxy_cache_valid 200` so any 200 response is stored unless
 * its own headers forbid it. `ignoreCacheControl` makes nginx disregard the
 * upstream's Cache-Control and Expires as well.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export interface CachingProxy {
  readonly origin: string;
  readonly pid: number;
  /** nginx's error log so far (for failure messages). */
  errors(): Promise<string>;
  stop(): Promise<void>;
}

export interface ProxyOptions {
  /** `host:port` of the server behind the cache. */
  readonly upstream: string;
  /** Cache 200 responses whatever their Cache-Control says. */
  readonly ignoreCacheControl?: boolean;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function config(prefix: string, port: number, { upstream, ignoreCacheControl }: ProxyOptions): string {
  return `daemon off;
master_process off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy_temp;
  fastcgi_temp_path ${prefix}/fastcgi_temp;
  uwsgi_temp_path ${prefix}/uwsgi_temp;
  scgi_temp_path ${prefix}/scgi_temp;
  proxy_cache_path ${prefix}/cache levels=1:2 keys_zone=segments:1m max_size=64m inactive=10m use_temp_path=off;
  upstream site { server ${upstream}; keepalive 8; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://site;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache segments;
      # nginx's default key, written out: every visitor of a URL shares one entry.
      proxy_cache_key $scheme$proxy_host$request_uri;
      # Store any 200 for 10 minutes unless its own headers say otherwise.
      proxy_cache_valid 200 10m;
      ${ignoreCacheControl ? 'proxy_ignore_headers Cache-Control Expires;' : ''}
      add_header X-Cache $upstream_cache_status always;
    }
  }
}
`;
}

/** Wait until something accepts connections on the port (a readiness check, not a timing assertion). */
async function accepting(port: number, child: ChildProcess, errorLog: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) break;
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const log = existsSync(errorLog) ? await readFile(errorLog, 'utf8') : '';
  throw new Error(`nginx did not start on 127.0.0.1:${port} (exit code ${child.exitCode}): ${log}`);
}

export async function startCachingProxy(options: ProxyOptions): Promise<CachingProxy> {
  if (!existsSync(NGINX)) throw new Error(`nginx is not installed at ${NGINX}: run node scripts/ensure-test-deps.ts (apt-get install nginx).`);
  const prefix = await mkdtemp(join(tmpdir(), 'segments-nginx-'));
  const port = await freePort();
  const file = join(prefix, 'nginx.conf');
  const errorLog = join(prefix, 'error.log');
  await writeFile(file, config(prefix, port, options));
  // -e: the log nginx opens before it reads the config, kept in the prefix too.
  const child = spawn(NGINX, ['-p', prefix, '-c', file, '-e', errorLog], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await accepting(port, child, errorLog);
  } catch (error) {
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    await exited;
    await rm(prefix, { recursive: true, force: true });
    throw error;
  }
  const pid = child.pid!;
  return {
    origin: `http://127.0.0.1:${port}`,
    pid,
    errors: async () => (existsSync(errorLog) ? readFile(errorLog, 'utf8') : ''),
    async stop() {
      if (child.exitCode === null) process.kill(pid, 'SIGTERM');
      await exited;
      await rm(prefix, { recursive: true, force: true });
    },
  };
}
