/** What the numbers were measured on. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  readonly nproc: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  readonly loadAverage: readonly number[];
  readonly date: string;
  /** The commit measured, and whether packages/ had uncommitted changes then. */
  readonly commit: string;
  readonly packagesDirty: boolean;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: new URL('../../', import.meta.url), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function describeMachine(): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {}
  return {
    nproc: os.availableParallelism(),
    cpu,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    packagesDirty: git(['status', '--porcelain', '--', 'packages']) !== '',
  };
}

export const machineLine = (m: Machine) =>
  `${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}, load average ${m.loadAverage.join(' / ')}; ` +
  `commit ${m.commit}${m.packagesDirty ? ' with uncommitted changes in packages/' : ''}`;
