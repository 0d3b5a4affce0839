import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/fixtures/**'],
    // Fixture builds run real Astro; two cores, so keep parallelism modest.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
