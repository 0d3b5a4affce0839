/**
 * What creating a file costs where a build writes its output, the way a build
 * with the integration creates them: the previous output's pages removed (as
 * Astro empties `outDir` when a build starts), then, in a new folder, as many
 * new files as the 1,001-page site has variant files (5 KB each, as its pages
 * are). Kernel and wall time per file, over a few rounds.
 *
 * The build comparison runs its sites with the output on disk and in memory;
 * this says how much of the difference between the two is the file system.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarize, type Summary } from '../lib/stats.ts';

export interface FileCreation {
  readonly folder: string;
  readonly files: number;
  readonly rounds: number;
  /** Wall time per new file, µs. */
  readonly wallUs: Summary;
  /** Kernel (system) CPU time per new file, µs. */
  readonly systemUs: Summary;
}

export function fileCreation(folder: string, files = 850, rounds = 5): FileCreation {
  const body = 'x'.repeat(5000);
  const wall: number[] = [];
  const system: number[] = [];
  rmSync(folder, { recursive: true, force: true });
  for (let round = 0; round < rounds; round++) {
    const previous = join(folder, 'previous');
    for (let i = 0; i < files; i++) {
      mkdirSync(join(previous, `p${i}`), { recursive: true });
      writeFileSync(join(previous, `p${i}`, 'index.html'), body);
    }
    rmSync(previous, { recursive: true });
    const fresh = join(folder, `new-${round}`);
    mkdirSync(fresh);
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < files; i++) writeFileSync(join(fresh, `${i}.html`), body);
    wall.push(((performance.now() - start) * 1000) / files);
    system.push(process.cpuUsage(cpu).system / files);
  }
  rmSync(folder, { recursive: true, force: true });
  return { folder, files, rounds, wallUs: summarize(wall), systemUs: summarize(system) };
}
