/**
 * `npx -y pnpm@12.21.0 load`: the load test alone, for LOAD_SECONDS per
 * runtime (30 unless set; the test suite runs the same file for 3 s).
 *
 *   LOAD_SECONDS=120 npx -y pnpm@12.21.0 load
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const seconds = process.env.LOAD_SECONDS ?? '30';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../../', import.meta.url)),
    include: ['test/adversarial/load.test.ts'],
    env: { LOAD_SECONDS: seconds },
    hookTimeout: 120_000,
  },
});
