/**
 * The README's main job: the example's demo script, run as a child process on
 * a built site, serves every variant through the router — with the Node
 * server, and with the generated Cloudflare Worker in workerd.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type BuiltFixture } from './utils/fixture.ts';

const EXAMPLE = fileURLToPath(new URL('../examples/ledgerly/', import.meta.url));
let site: BuiltFixture;
const running: ChildProcess[] = [];

beforeAll(async () => {
  site = await buildFixture(EXAMPLE);
});
afterAll(async () => {
  for (const child of running) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await site?.cleanup();
});

/** Start the demo and resolve with the URL it prints. */
function startDemo(...args: string[]): Promise<{ url: string; output: () => string }> {
  const child = spawn(process.execPath, ['scripts/demo.ts', '--port', '0', '--dir', site.outDir, ...args], {
    cwd: EXAMPLE,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /served through the astro-segments router \([^)]*\): (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (url && output.includes('Stop with Ctrl+C.')) {
        clearTimeout(timer);
        resolve({ url: url[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`the demo exited with ${code}:\n${output}`)));
  });
}

const heading = async (url: string, headers: Record<string, string> = {}) => /<h1>([^<]*)/.exec(await (await fetch(url, { headers })).text())?.[1];

describe.each([
  ['the Node server', []],
  ['workerd', ['--workerd']],
])('pnpm demo with %s', (_name, args) => {
  it('prints the URL and a table of links and curl commands, and serves each variant', async () => {
    const { url, output } = await startDemo(...args);
    expect(output()).toContain(`curl -s '${url}/?utm_campaign=year-end-close'`);
    expect(await heading(`${url}/`)).toBe('Bookkeeping for founders, done every month.');
    expect(await heading(`${url}/`, { cookie: 'ledgerly_session=1' })).toBe('Welcome back. Your books are up to date.');
    expect(await (await fetch(`${url}/pricing/`, { headers: { 'x-demo-country': 'GB' } })).text()).toContain('£39');
    expect(await (await fetch(`${url}/pricing/`, { headers: { 'x-demo-country': 'DE' } })).text()).toContain('€45');
    const chosen = await fetch(`${url}/?segment=audience:accountant`);
    expect(chosen.headers.get('set-cookie')).toBe('segment=audience:accountant; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax');
    expect((await fetch(`${url}/about/`)).headers.get('x-segments')).toBeNull();
  });
});
