/**
 * Attribute a V8 CPU profile (`node --cpu-prof`) to the parts of a request:
 * each sample goes to the first category found walking its stack from the
 * leaf to the root. Shares of samples do not depend on how much CPU the
 * machine left the process, unlike throughput.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Category {
  readonly name: string;
  readonly match: (frame: CallFrame) => boolean;
}

export interface Attribution {
  /** Milliseconds of samples on the JS thread that were not idle. */
  readonly busyMs: number;
  readonly shares: readonly { readonly name: string; readonly ms: number; readonly share: number }[];
}

/** `skipMs`: leave out samples in the first milliseconds of the profile (process start-up). */
export function attribute(file: string, categories: readonly Category[], { other = 'other', skipMs = 0 } = {}): Attribution {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string>();
  const categoryOf = (id: number): string => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const frame = nodes.get(id)!.callFrame;
    const hit = categories.find((c) => c.match(frame))?.name;
    const up = parent.get(id);
    const result = hit ?? (up === undefined ? other : categoryOf(up));
    memo.set(id, result);
    return result;
  };
  const ms = new Map<string, number>();
  let busy = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += (profile.timeDeltas[i] ?? 0) / 1000;
    if (at < skipMs) return;
    const name = nodes.get(id)!.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') return;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    busy += dt;
    const c = name === '(garbage collector)' ? 'garbage collection' : categoryOf(id);
    ms.set(c, (ms.get(c) ?? 0) + dt);
  });
  const names = [...categories.map((c) => c.name), 'garbage collection', other];
  return { busyMs: busy, shares: names.map((name) => ({ name, ms: ms.get(name) ?? 0, share: (ms.get(name) ?? 0) / (busy || 1) })) };
}
