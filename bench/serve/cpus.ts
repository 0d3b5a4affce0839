/**
 * CPU pinning for the serving benchmark, where `taskset` exists and the machine
 * has two CPUs or more: every server on CPU 0, the load generator on CPU 1. On
 * a two-CPU machine the scheduler otherwise moves a server onto the load
 * generator's CPU in some runs and not in others, which alone changes the
 * throughput of identical servers by tens of percent. Work from other processes
 * still shares both CPUs: the sirv A/A pair reports what that leaves.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const PINNED = availableParallelism() >= 2 && hasTaskset();

export const SERVER_CPU = 0;
export const LOAD_CPU = 1;

/** The command and arguments that start `command` on `cpu` (unchanged when not pinning). */
export function onCpu(cpu: number, command: string, args: readonly string[]): [string, string[]] {
  return PINNED ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, [...args]];
}

/** Move a running process, every thread of it, onto `cpu` (for processes another library starts). */
export function pinProcess(pid: number | undefined, cpu: number): void {
  if (PINNED && pid !== undefined) execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

export function pinningDescription(): string {
  return PINNED ? `servers on CPU ${SERVER_CPU}, load generator on CPU ${LOAD_CPU} (taskset)` : 'not pinned (no taskset, or one CPU)';
}
