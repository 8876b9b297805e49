import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    // Throwaway PostgreSQL and Redis servers for the whole run (every backend is tested), and the
    // web page built into dist/web when it is missing or stale (serving and browser tests).
    globalSetup: ['test/servers/global-setup.ts', 'test/servers/web-page-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Suites that spawn servers or hash with Argon2id share two cores; run files one at a time.
    fileParallelism: false,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // The page runs in the browser (test/browser), where V8 coverage of Node does not reach.
      exclude: ['src/**/*.test.ts', 'src/web/**'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90 },
    },
  },
});
