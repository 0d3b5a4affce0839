/**
 * Load, bounded: the Node server and workerd (Miniflare) on loopback, each for
 * LOAD_SECONDS (3 s in the test suite; `npx -y pnpm@12.21.0 load` runs 30 s
 * each, see load/vitest.config.ts), with 16 concurrent clients sending the
 * visitor profiles of load/run-load.ts. Zero errors, zero wrong answers (every
 * body checked against its profile), and memory that does not grow with the
 * number of requests: the Node server's heap after a full GC, and workerd's
 * resident memory against a Worker without the router (load/bare-worker.ts).
 * Throughput is printed, never asserted.
 */
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../hosts/cases.ts';
import { startNode } from '../hosts/runtimes/node.ts';
import { startWorkerd } from '../hosts/runtimes/workerd.ts';
import { startBareWorker } from './load/bare-worker.ts';
import { describeResult, PROFILES, runLoad, type LoadResult } from './load/run-load.ts';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 3);
const MB = 1048576;

function checkResult(result: LoadResult, runtime: Runtime): void {
  process.stdout.write(`${describeResult(result)}\n`);
  expect(result.examples).toEqual([]);
  expect({ errors: result.errors, wrong: result.wrong }).toEqual({ errors: 0, wrong: 0 });
  // Every profile was exercised during the measured run.
  for (const profile of PROFILES) expect(result.perProfile[profile.name] ?? 0, profile.name).toBeGreaterThan(0);
  expect(runtime.violations?.() ?? []).toEqual([]);
}

describe(`load: ${SECONDS} s per runtime, 16 clients, every answer checked`, () => {
  it(
    'the Node server answers every request right, and its heap does not grow with the requests',
    async () => {
      const runtime = await startNode();
      try {
        const result = await runLoad('Node server over HTTP', runtime, { seconds: SECONDS });
        checkResult(result, runtime);
        // The server runs in this process. Retained memory (V8 heap and buffers) after a full GC,
        // before and after the run: a leak of 100 bytes per request would show on a long run; the
        // allowance covers the collector's own noise. (RSS is printed, not judged: the allocator
        // keeps freed pages.)
        const retained = (m: LoadResult['before']) => m.heapUsed + m.external;
        expect(retained(result.after) - retained(result.before)).toBeLessThan(Math.max(8 * MB, result.requests * 100));
      } finally {
        await runtime.stop();
      }
    },
    SECONDS * 1000 + 120_000,
  );

  it(
    'workerd answers every request right, and the router adds no memory growth to what workerd itself shows',
    async () => {
      const runtime = await startWorkerd();
      let result: LoadResult;
      try {
        result = await runLoad('workerd (Miniflare)', runtime, { seconds: SECONDS, runtimeProcess: 'workerd' });
        checkResult(result, runtime);
      } finally {
        await runtime.stop();
      }
      // workerd's resident memory grows under Miniflare's dispatchFetch even for a Worker that only
      // serves files. The same number of requests through such a Worker is the yardstick: the
      // router's growth must stay within it (plus noise), so a leak in the router shows.
      const bare = await startBareWorker();
      let baseline: LoadResult;
      try {
        baseline = await runLoad('workerd, a Worker without the router (baseline)', bare, {
          seconds: SECONDS,
          requests: result.requests,
          runtimeProcess: 'workerd',
          verify: false,
        });
        process.stdout.write(`${describeResult(baseline)}\n`);
      } finally {
        await bare.stop();
      }
      const growth = (r: LoadResult) => r.after.runtimeRss - r.before.runtimeRss;
      expect(result.before.runtimeRss).toBeGreaterThan(0);
      expect(baseline.before.runtimeRss).toBeGreaterThan(0);
      expect(growth(result)).toBeLessThan(growth(baseline) * 1.5 + 24 * MB);
    },
    SECONDS * 3000 + 120_000,
  );
});
