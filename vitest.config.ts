import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          // Timing is for benchmarks: on a 2-core machine under load some folds of long histories take seconds.
          testTimeout: 30_000,
          // Times are shown in local time: frames compared with UTC clocks need the zone fixed.
          env: { TZ: 'UTC' },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.{ts,tsx}'],
          // One real cluster is shared by every integration test file: run files one after another.
          pool: 'forks',
          fileParallelism: false,
          globalSetup: ['test/cluster/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
