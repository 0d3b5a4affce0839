/**
 * The load generator, always in a process of its own so it never shares an
 * event loop (or a garbage collector) with a server it measures: `wrk` when
 * installed (C, one thread: `apt-get install wrk` on Debian), otherwise
 * autocannon's command line in a Node child process. Each run is bounded by
 * time, with a fixed number of keep-alive connections.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runChild } from '../lib/proc.ts';
import { LOAD_CPU, onCpu } from './cpus.ts';

export interface LoadRun {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  /** Latency percentiles, ms. */
  readonly p50: number;
  readonly p99: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** Responses other than 2xx or 3xx. */
  readonly non2xx: number;
}

export interface LoadOptions {
  readonly seconds: number;
  readonly connections: number;
  readonly headers: Readonly<Record<string, string>>;
}

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk prints its version with exit status 1.
    return (error as { status?: number }).status === 1;
  }
}

export const LOAD_GENERATOR: 'wrk' | 'autocannon' = hasWrk() ? 'wrk' : 'autocannon';

export function loadDescription(): string {
  return LOAD_GENERATOR === 'wrk'
    ? 'wrk (1 thread, its own process)'
    : 'autocannon (a Node child process; install wrk for a lighter load generator: apt-get install wrk)';
}

export function load(url: string, options: LoadOptions): Promise<LoadRun> {
  return LOAD_GENERATOR === 'wrk' ? viaWrk(url, options) : viaAutocannon(url, options);
}

async function viaWrk(url: string, { seconds, connections, headers }: LoadOptions): Promise<LoadRun> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const out = await runChild(...onCpu(LOAD_CPU, 'wrk', [...args, url]));
  const number = (pattern: RegExp) => Number(pattern.exec(out)?.[1] ?? Number.NaN);
  const latency = (percent: string) => {
    const match = new RegExp(`^\\s+${percent}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
    if (!match) return Number.NaN;
    return Number(match[1]) * ({ us: 0.001, ms: 1, s: 1000 } as const)[match[2] as 'us' | 'ms' | 's'];
  };
  const requests = number(/(\d+) requests in ([\d.]+)(?:s|ms|m)/);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  return {
    requests,
    seconds,
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: latency('50'),
    p99: latency('99'),
    errors: errors ? Number(errors[1]) + Number(errors[2]) + Number(errors[3]) + Number(errors[4]) : 0,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
  };
}

const AUTOCANNON = join(dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

async function viaAutocannon(url: string, { seconds, connections, headers }: LoadOptions): Promise<LoadRun> {
  const args = [AUTOCANNON, '-c', String(connections), '-d', String(seconds), '-t', '10', '-j'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  const result = JSON.parse(await runChild(...onCpu(LOAD_CPU, process.execPath, [...args, url]))) as {
    requests: { total: number };
    duration: number;
    latency: { p50: number; p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  return {
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
