import { stripVTControlCharacters } from 'node:util';
/**
 * Servers the tests start as child processes on 127.0.0.1 and a free port:
 * the real `astro dev` CLI (in-process `dev()` cannot be used from a test:
 * Astro turns its dev request handler off when it sees Vitest's VITEST
 * variable), and a built site's own server entry. Each is stopped by the test
 * that started it, by its own PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface RunningServer {
  readonly origin: string;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Vitest's own variables removed, so the child behaves as it would from a terminal. */
function childEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const { VITEST: _vitest, VITEST_MODE: _mode, VITEST_POOL_ID: _pool, VITEST_WORKER_ID: _worker, NODE_ENV: _env, ...env } = process.env;
  return { ...env, ...extra };
}

/**
 * Spawn `node <args>` (or another `command`, with exactly its `env`) and resolve once it prints a `http://127.0.0.1:<port>` URL
 * (or at once, when the caller knows the `origin`). Rejects with the process's
 * output if it exits first or takes over a minute.
 */
export async function spawnServer(
  args: readonly string[],
  options: { cwd?: string; env?: Readonly<Record<string, string>>; origin?: string; command?: { file: string; env: NodeJS.ProcessEnv } } = {},
): Promise<RunningServer> {
  const child: ChildProcess = spawn(options.command?.file ?? process.execPath, args, {
    cwd: options.cwd,
    env: options.command?.env ?? childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  if (options.origin) {
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  }
  const origin =
    options.origin ??
    (await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const url = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stripVTControlCharacters(output));
        if (url) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${url[1]}`);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${output}`));
      });
    }));
  return {
    origin,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A port free on 127.0.0.1 right now, for a server that does not print its address. */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/**
 * A built `output: 'server'` site's standalone Node entry (`dist/server/entry.mjs`
 * of @astrojs/node), ready once `ready` answers. Its start-up line is an info
 * log, which a build with a quieter `logLevel` never prints, so the port is
 * chosen here.
 */
export async function startNodeEntry(entry: string, ready: string): Promise<RunningServer> {
  const port = await freePort();
  const server = await spawnServer([entry], { env: { HOST: '127.0.0.1', PORT: String(port) }, origin: `http://127.0.0.1:${port}` });
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await fetch(`${server.origin}${ready}`).catch(() => undefined))?.ok) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop();
  throw new Error(`${entry} did not answer ${ready}:\n${server.output()}`);
}

/**
 * `astro dev` for the fixture at `root`, ready once `ready` (a path) answers
 * 200 with a body containing `expect`: the first start may re-optimize
 * dependencies and reload.
 */
export async function startAstroDev(root: string, ready: { path: string; expect: string }): Promise<RunningServer> {
  const astro = join(dirname(createRequire(join(root, 'package.json')).resolve('astro/package.json')), 'bin', 'astro.mjs');
  const server = await spawnServer([astro, 'dev', '--root', root, '--host', '127.0.0.1', '--port', '0']);
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${server.origin}${ready.path}`).catch(() => undefined);
    if (response?.ok && (await response.text()).includes(ready.expect)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return server;
}
