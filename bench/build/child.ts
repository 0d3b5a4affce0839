/**
 * One Astro build in its own process, so its peak memory is its own:
 *   node build/child.ts <root> <outDir> <result.json>
 * Writes { ms, maxRssKb, cpuMs, hookMs } to result.json; `ms` excludes the time
 * a capturing build (BENCH_CAPTURE) spent copying the pages.
 */
import { writeFile } from 'node:fs/promises';
import { build } from 'astro';

const [root, outDir, resultFile] = process.argv.slice(2);
if (!root || !outDir || !resultFile) throw new Error('usage: child.ts <root> <outDir> <result.json>');

const start = performance.now();
await build({ root, outDir, logLevel: 'error' });
const ms = performance.now() - start;
const usage = process.resourceUsage();
const bench = globalThis as { __benchHookMs?: Record<string, number>; __benchCaptureMs?: number };
const captureMs = bench.__benchCaptureMs ?? 0;
await writeFile(
  resultFile,
  JSON.stringify({
    ms: ms - captureMs,
    captureMs,
    maxRssKb: usage.maxRSS,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    hookMs: bench.__benchHookMs ?? {},
  }),
);
// Astro may leave handles open (watchers, workers): this process is done.
process.exit(0);
